#!/bin/bash
# Bad ESP input, crafted with scapy in namespace B and sent to kameipsec in
# namespace A: each bad packet is dropped and counted once under its KAME
# counter and its named drop reason; a valid one is accepted.
#
#   [A: kameipsec] a0 10.88.0.1 ---- veth ---- b0 10.88.0.2 [B: scapy]
#
# SA 0x3001 (B -> A): rijndael-cbc + hmac-sha1 (96-bit ICV), replay window.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kba$$ B=kbb$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
$PY -c 'import scapy.layers.ipsec, cryptography' 2>/dev/null ||
	skip_all "python3-scapy with cryptography needed"

netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A addr add 10.88.0.1/24 dev a0
ip -n $B addr add 10.88.0.2/24 dev b0
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up
EK=00112233445566778899aabbccddeeff
AK=000102030405060708090a0b0c0d0e0f10111213
ip netns exec $A "$SETKEY" -c <<EOC
add 10.88.0.2 10.88.0.1 esp 0x3001 -m transport -r 4 -E rijndael-cbc 0x$EK -A hmac-sha1 0x$AK;
EOC

# Every packet is built once by scapy (slow to start under TCG) into
# $D/CASE-SEQ, and sent later by a raw socket, one at a time.
D=$(mktemp -d)
cleanup_files "$D"
ip netns exec $B $PY - "$D" $EK $AK <<'EOPY' || exit 1
import socket, sys
from scapy.all import IP, UDP, Raw, raw
from scapy.layers.ipsec import SecurityAssociation, ESP, _ESPPlain, split_for_transport
out, ek, ak = sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])

def build(case, seq):
  sa = SecurityAssociation(ESP, spi=0x3001, crypt_algo="AES-CBC", crypt_key=ek,
                           auth_algo="HMAC-SHA1-96", auth_key=ak)
  pkt = IP(src="10.88.0.2", dst="10.88.0.1") / UDP(sport=4000, dport=9) / Raw(b"x" * 32)
  if case == "badpad":
      esp = _ESPPlain(spi=0x3001, seq=seq, iv=sa.crypt_algo.generate_iv())
      iph, nh, payload = split_for_transport(pkt.copy(), socket.IPPROTO_ESP)
      esp.data, esp.nh = payload, nh
      esp = sa.crypt_algo.pad(esp)
      esp.padding = bytes([9] * len(esp.padding))
      esp = sa.crypt_algo.encrypt(sa, esp, sa.crypt_key, sa.crypt_icv_size)
      sa.auth_algo.sign(esp, sa.auth_key)
      iph.len = len(iph) + len(esp)
      del iph.chksum
      b = raw(iph / esp)
  elif case == "trunc":
      b = raw(IP(src="10.88.0.2", dst="10.88.0.1", proto=50) / Raw(b"\x00\x00\x30\x01\x00\x00\x00\x09" + b"\x00" * 6))
  else:
      b = bytearray(raw(sa.encrypt(pkt, seq_num=seq)))
      if case == "badspi":
          b[20:24] = b"\x00\x00\x99\x99"
      elif case == "icv":
          b[-1] ^= 0x01
      b = bytes(b)
  return b

for case, seq in [("valid", 1), ("badspi", 2), ("icv", 2), ("trunc", 3),
                  ("badpad", 3), ("valid", 2)]:
    open("%s/%s-%d" % (out, case, seq), "wb").write(bytes(build(case, seq)))
EOPY

# craft CASE SEQ: send that packet from B to A.
craft() {
	ip netns exec $B $PY -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.sendto(open(sys.argv[1], "rb").read(), ("10.88.0.1", 0))
' "$D/$1-$2"
}

# expect CASE SEQ COUNTER [DROP_REASON]: the counter (and the reason) +1.
expect() {
	local c0 c1 d0 d1 ok=0
	c0=$(stat_of kame_ipsecstat "$3")
	d0=$(drop_count "${4:-none}")
	craft "$1" "$2" || return 1
	sleep 0.3
	c1=$(stat_of kame_ipsecstat "$3")
	d1=$(drop_count "${4:-none}")
	ktap_note "$1 seq $2: $3 $c0 -> $c1${4:+, drop $4 $d0 -> $d1}"
	[ "$c1" -eq $((c0 + 1)) ] || ok=1
	[ -z "$4" ] || [ "$d1" -eq $((d0 + 1)) ] || ok=1
	return $ok
}
drop_count() {
	ip netns exec $A awk -v r="$1" '$1 == "drop" && $2 == r { n = $3 } END { print n + 0 }' \
		/proc/net/kame_ipsecstat
}

last_icv_spi() {
	ip netns exec $A cat /proc/net/kame_ipsecstat |
		grep -q '^drop in_esp_icv 1 spi 0x00003001 '
}

ktap_plan 8
check "valid packet (seq 1) accepted: in_success +1" expect valid 1 in_success
check "replayed packet (seq 1): in_espreplay +1" expect valid 1 in_espreplay in_esp_replay
check "unknown SPI: in_nosa +1" expect badspi 2 in_nosa in_nosa
check "flipped ICV bit (seq 2): in_espauthfail +1" expect icv 2 in_espauthfail in_esp_icv
check "truncated packet: in_inval +1" expect trunc 3 in_inval in_truncated
check "bad padding, valid ICV (seq 3): in_inval +1" expect badpad 3 in_inval in_bad_padding
check "seq 2 after its forged copy failed: accepted (window advances only after ICV)" \
	expect valid 2 in_success
check "the SPI of the last ICV failure is recorded" last_icv_spi
ip netns exec $A cat /proc/net/kame_ipsecstat | grep -v ' 0$' | sed 's/^/# /'
ktap_finish
