#!/usr/bin/env python3
# Writes the seed corpus for fuzz_packet (first byte = entry point).
import os
import struct

out = os.path.join(os.path.dirname(__file__), "corpus")
os.makedirs(out, exist_ok=True)


def gen(np, body):
    return bytes([np, 0]) + struct.pack(">H", len(body) + 4) + body


def basic(t, v):
    return struct.pack(">HH", 0x8000 | t, v)


def var32(t, v):
    return struct.pack(">HHI", t, 4, v)


def transform(np, num, tid, attrs):
    return gen(np, bytes([num, tid, 0, 0]) + attrs)


def proposal(np, num, proto, spi, transforms):
    return gen(np, bytes([num, proto, len(spi), len(transforms)]) + spi +
               b"".join(transforms))


def sa(props):
    return struct.pack(">II", 1, 1) + b"".join(props)


p1t = [transform(3, 1, 1, basic(1, 5) + basic(2, 2) + basic(3, 1) +
                 basic(4, 2) + basic(11, 1) + var32(12, 28800)),
       transform(0, 2, 1, basic(1, 7) + basic(14, 256) + basic(2, 4) +
                 basic(3, 1) + basic(4, 14) + basic(11, 1) +
                 basic(12, 3600))]
p1sa = sa([proposal(0, 1, 1, b"", p1t)])
hdr = b"\x11" * 8 + b"\x00" * 8 + bytes([1, 0x10, 2, 0]) + struct.pack(">II", 0, 0)
mm1 = hdr + gen(13, p1sa) + gen(0, b"racoon-lite-seed")
mm1 = mm1[:24] + struct.pack(">I", len(mm1)) + mm1[28:]

p2t = [transform(3, 1, 3, basic(1, 1) + basic(2, 3600) + basic(3, 2) +
                 basic(4, 2) + basic(5, 2)),
       transform(0, 2, 12, basic(1, 1) + var32(2, 86400) + basic(4, 1) +
                 basic(5, 1) + basic(6, 128) + basic(1, 2) +
                 basic(2, 1000))]
p2sa = sa([proposal(0, 1, 3, b"\x00\x00\x12\x34", p2t)])
nonce = b"N" * 16
ke = b"\x02" * 128
idci = bytes([1, 0, 0, 0]) + bytes([10, 0, 0, 1])
idcr = bytes([4, 6, 0, 80]) + bytes([10, 2, 0, 0, 255, 255, 0, 0])
# mode 2: [np of HASH] then the chain SA, NONCE, KE, ID, ID
qm = bytes([1]) + gen(10, p2sa) + gen(4, nonce) + gen(5, ke) + \
     gen(5, idci) + gen(0, idcr)
p2t_nopfs = [transform(0, 1, 3, basic(1, 1) + basic(2, 3600) +
                       basic(4, 2) + basic(5, 2))]
p2sa_nopfs = sa([proposal(0, 1, 3, b"\x00\x00\x12\x35", p2t_nopfs)])
qm_nopfs = bytes([1]) + gen(10, p2sa_nopfs) + gen(5, nonce) + gen(5, idci) + \
    gen(0, idcr)
# NAT-T: UDP-Transport (4) and NAT-OAi, NAT-OAr (RFC 3947 payloads 21)
p2t_udp = [transform(0, 1, 12, basic(1, 1) + basic(2, 3600) + basic(4, 4) +
                     basic(5, 2) + basic(6, 128))]
p2sa_udp = sa([proposal(0, 1, 3, b"\x00\x00\x12\x36", p2t_udp)])
oai = bytes([1, 0, 0, 0, 192, 168, 1, 2])
oar = bytes([1, 0, 0, 0, 10, 0, 0, 2])
qm_natt = bytes([1]) + gen(10, p2sa_udp) + gen(5, nonce) + gen(5, idci) + \
    gen(21, idcr) + gen(21, oai) + gen(0, oar)
# mode 1: [first type] then NAT-D, NAT-D, NAT-OA
natd = bytes([20]) + gen(20, b"\x5a" * 20) + gen(21, b"\xa5" * 20) + \
    gen(0, oai)
note = struct.pack(">IBBH", 1, 1, 16, 24578) + b"\x11" * 16
dpl = struct.pack(">IBBH", 1, 3, 4, 2) + b"\x00\x00\x20\x00\x00\x00\x20\x01"
rut = struct.pack(">IBBH", 1, 1, 16, 36136) + b"\x22" * 16 + b"\x00\x00\x00\x07"
info = bytes([11]) + gen(12, note) + gen(11, dpl) + gen(0, rut)

seeds = {
    "mm1": b"\x00" + mm1,
    "walk-sa": b"\x01" + p1sa,
    "walk-p2sa": b"\x01" + p2sa,
    "qm1-pfs": b"\x02" + qm,
    "qm1": b"\x02" + qm_nopfs,
    "info": b"\x03" + info,
    "qm1-natt": b"\x02" + qm_natt,
    "walk-natd": b"\x01" + natd,
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
