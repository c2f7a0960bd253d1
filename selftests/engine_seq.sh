#!/bin/bash
# Outbound ESP sequence numbers never repeat (issue 11, item 2).
#
#   [A: kameipsec] a0 10.77.0.1 ---- veth ---- b0 10.77.0.2 [B: capture]
#
# An SA is started near the top of the sequence space through PF_KEY:
# kameipsec takes sadb_x_sa2_sequence of ADD/UPDATE as the last number
# sent (KAME's meaning of the field; 0 from every key manager). Two
# senders pinned to the two CPUs flood UDP through an AES-GCM SA started
# 2000 below 2^32 - 1 (with seqiv the IV is the sequence number: a repeat
# is a nonce reused under the key). On B's wire: no (SPI, seq) twice, the
# last number 0xffffffff; then the SA is hard-expired (SADB_EXPIRE to a
# registered listener, gone from setkey -D) and the refused packets are
# counted (out_seq_overflow). A CYCSEQ SA (AES-CBC + HMAC-SHA256) cycles
# past the top to 1, never sending 0; CYCSEQ with a cipher whose IV is the
# sequence number (AES-GCM, AES-CTR) is refused with EINVAL.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=ksa$$ B=ksb$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
command -v dumpcap >/dev/null && command -v tshark >/dev/null ||
	skip_all "no dumpcap/tshark"
LOG=/tmp/kx.$$.pfkey CAP=/tmp/kx.$$.pcap
TOP=4294967295

cleanup_netns $A $B
pair_setup

# pk_add SPI EALG EKEY AALG AKEY FLAGS SEQ: SADB_ADD (SADB_UPDATE with
# PK_TYPE=2) of an ESP transport SA 10.77.0.1 -> 10.77.0.2 in A with
# sadb_x_sa2_sequence SEQ and sadb_msg_pid PK_PID (default: its own);
# prints the reply's errno (0: done).
pk_add() {
	ip netns exec $A $PY - "$@" <<-'EOP'
	import os, socket, struct, sys
	spi, ealg, ekey, aalg, akey, flags, seq = sys.argv[1:8]
	def ext(t, body):
	    body += b"\0" * (-(len(body) + 4) % 8)
	    return struct.pack("=HH", (len(body) + 4) // 8, t) + body
	def addr(t, a):
	    sin = struct.pack("=H", socket.AF_INET) + b"\0\0" + socket.inet_aton(a) + b"\0" * 8
	    return ext(t, struct.pack("=BBH", 0xff, 32, 0) + sin)
	def key(t, hexkey):
	    k = bytes.fromhex(hexkey[2:])
	    return ext(t, struct.pack("=HH", len(k) * 8, 0) + k)
	body = ext(1, struct.pack("!I", int(spi, 0)) +
	           struct.pack("=BBBBI", 4, 0, int(aalg), int(ealg), int(flags, 0)))
	body += ext(19, struct.pack("=BBHII", 1, 0, 0, int(seq, 0), 0))
	body += addr(5, "10.77.0.1") + addr(6, "10.77.0.2")
	if akey != "-": body += key(8, akey)
	body += key(9, ekey)
	t, pid = int(os.environ.get("PK_TYPE", 3)), int(os.environ.get("PK_PID", os.getpid()))
	s = socket.socket(15, socket.SOCK_RAW, 2); s.settimeout(10)
	s.send(struct.pack("=BBBBHHII", 2, t, 0, 3, 2 + len(body) // 8, 0, 77, pid) + body)
	while True:
	    m = s.recv(65536)
	    if m[1] == t and struct.unpack_from("=II", m, 8) == (77, pid):
	        print(m[2]); break
	EOP
}

# flood N: two senders pinned to CPU 0 and CPU 1, N UDP datagrams each to
# B as fast as they can (errors once the SA is gone are ignored).
flood() {
	local c pids=
	for c in 0 1; do
		ip netns exec $A taskset -c $c $PY - "$1" <<-'EOP' &
		import socket, sys
		s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		for i in range(int(sys.argv[1])):
		    try:
		        s.sendto(b"s" * 32, ("10.77.0.2", 9))
		    except OSError:
		        pass
		EOP
		pids="$pids $!"
	done
	wait $pids
}

# seqs SPI: the ESP sequence numbers B saw for SPI, one per line, in order.
seqs() { tshark -r $CAP -n -Y "esp.spi == $1" -T fields -e esp.sequence 2>/dev/null; }
sa_state() { ip netns exec $A "$SETKEY" -D | awk -v s="spi=$(($1))(" '
	index($0, s) { f = 1 } f && /state=/ { sub(/.*state=/, ""); print $1; exit }'; }
drop_of() { ip netns exec $A awk -v r=$1 '$1 == "drop" && $2 == r { print $3 }' /proc/net/kame_ipsecstat; }
EK20=0x00112233445566778899aabbccddeeff01020304
EK16=0x00112233445566778899aabbccddeeff
AK32=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

ktap_plan 18
ip netns exec $A "$SETKEY" -c <<-EOC >/dev/null || ktap_note "spdadd failed"
spdadd 10.77.0.1 10.77.0.2 udp -P out ipsec esp/transport//require;
EOC
check "a registered PF_KEY listener is up" pfkey_listen $A 3 $LOG

# --- AES-GCM-16 (20), no CYCSEQ, 2000 numbers left ---
check "ADD aes-gcm-16 with sadb_x_sa2_sequence 2^32-1-2000" \
	test "$(pk_add 0x5001 20 $EK20 0 - 0 $((TOP - 2000)))" = 0
check "capture on B's side" capture_start $B b0 $CAP
flood 2000
sleep 2
capture_stop
seqs 0x00005001 >/tmp/kx.$$.s1
n=$(wc -l </tmp/kx.$$.s1) u=$(sort -u /tmp/kx.$$.s1 | wc -l)
max=$(sort -n /tmp/kx.$$.s1 | tail -1) min=$(sort -n /tmp/kx.$$.s1 | head -1)
ktap_note "SPI 0x5001: $n packets, $u distinct numbers, $min..$max"
check "two CPUs: no sequence number sent twice" test "$n" -gt 0 -a "$n" -eq "$u"
check "numbers $((TOP - 1999))..$TOP only, most of them seen" \
	test "${min:-0}" -ge $((TOP - 1999)) -a "$n" -ge 1000
check "the last number sent is 0xffffffff" test "${max:-0}" = $TOP
check "refused packets counted as out_seq_overflow" test "$(drop_of out_seq_overflow)" -gt 0
check "a hard SADB_EXPIRE for the used-up SA" grep -q "^EXPIRE hard 0x5001 " $LOG
check "the SA is gone from setkey -D" test -z "$(sa_state 0x5001)"

# --- CYCSEQ: AES-CBC (12) + HMAC-SHA256 (5), 100 numbers before the top ---
check "ADD rijndael-cbc/hmac-sha256 with CYCSEQ near the top" \
	test "$(pk_add 0x5002 12 $EK16 5 $AK32 0x40 $((TOP - 100)))" = 0
capture_start $B b0 $CAP || ktap_note "capture did not start"
flood 150
sleep 2
capture_stop
seqs 0x00005002 >/tmp/kx.$$.s2
n=$(wc -l </tmp/kx.$$.s2) u=$(sort -u /tmp/kx.$$.s2 | wc -l)
ktap_note "SPI 0x5002: $n packets, $u distinct numbers, first $(head -3 /tmp/kx.$$.s2 | tr '\n' ' ')last $(tail -3 /tmp/kx.$$.s2 | tr '\n' ' ')"
ktap_note "above 2^32-101: $(awk '$1 > 4294967195' /tmp/kx.$$.s2 | wc -l), below 1000: $(awk '$1 < 1000' /tmp/kx.$$.s2 | wc -l)"
ktap_note "drops in A: $(ip netns exec $A awk '$1 == "drop" && $3 > 0 { printf "%s=%s ", $2, $3 }' /proc/net/kame_ipsecstat)"
check "CYCSEQ: no number twice, 0xffffffff then 1, never 0" \
	bash -c "test $n -gt 100 -a $n -eq $u && grep -qx $TOP /tmp/kx.$$.s2 &&
		grep -qx 1 /tmp/kx.$$.s2 && ! grep -qx 0 /tmp/kx.$$.s2"
check "the CYCSEQ SA is still mature" test "$(sa_state 0x5002)" = mature

# --- CYCSEQ refused where the IV is the sequence number ---
check "ADD aes-gcm-16 with CYCSEQ: EINVAL" test "$(pk_add 0x5003 20 $EK20 0 - 0x40 0)" = 22
check "ADD aes-ctr with CYCSEQ: EINVAL" test "$(pk_add 0x5004 13 $EK20 5 $AK32 0x40 0)" = 22
check "setkey: aes-gcm-16 -f cyclic-seq refused" bash -c "! ip netns exec $A $SETKEY -c <<<'
add 10.77.0.1 10.77.0.2 esp 0x5005 -f cyclic-seq -E aes-gcm-16 $EK20;' >/dev/null 2>&1"
ip netns exec $A "$SETKEY" -c <<-EOC >/dev/null 2>&1
add 10.77.0.1 10.77.0.2 esp 0x5006 -E aes-gcm-16 $EK20;
EOC
check "setkey: aes-gcm-16 by default (no CYCSEQ) is added" test "$(sa_state 0x5006)" = mature

# --- UPDATE of a sending SA (same key) continues its numbers ---
ip netns exec $A "$SETKEY" -c <<-EOC >/dev/null
delete 10.77.0.1 10.77.0.2 esp 0x5002;
delete 10.77.0.1 10.77.0.2 esp 0x5006;
EOC
PK_PID=4242 pk_add 0x5007 20 $EK20 0 - 0 $((TOP - 1000)) >/dev/null
capture_start $B b0 $CAP || ktap_note "capture did not start"
flood 20
check "UPDATE of the mature SA with the same key" \
	test "$(PK_TYPE=2 PK_PID=4242 pk_add 0x5007 20 $EK20 0 - 0 0)" = 0
flood 20
sleep 2
capture_stop
seqs 0x00005007 >/tmp/kx.$$.s3
n=$(wc -l </tmp/kx.$$.s3) u=$(sort -u /tmp/kx.$$.s3 | wc -l) min=$(sort -n /tmp/kx.$$.s3 | head -1)
ktap_note "SPI 0x5007: $n packets, $u distinct numbers, from $min"
check "after UPDATE: numbers go on from the old SA's, none twice" \
	test "$n" -ge 70 -a "$n" -eq "$u" -a "${min:-0}" -gt $((TOP - 1000))
ktap_finish
