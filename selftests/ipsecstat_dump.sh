#!/bin/bash
# ipsecstat -s and -p on a large SAD and SPD (IPSECSTAT_SAS, default 20000
# SAs and a tenth as many policies): every entry listed once, in the
# order added, however many netlink rounds the dump takes; the time is
# printed. Entries deleted while a dump is in progress: the dump that had
# started lists them as they were, and leaks nothing (the module's leak
# check at rmmod would warn).
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=ida$$ B=idb$$
. ./ipsecstat_lib.sh
N=${IPSECSTAT_SAS:-20000}
NP=$((N / 10))

ist_begin $A
ip netns add $A
awk -v n=$N -v np=$NP 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "add 10.%d.%d.%d 10.92.0.1 esp %d -m transport -E null -A hmac-sha1 0x000102030405060708090a0b0c0d0e0f10111213;\n",
			100 + int(i / 62500), int(i / 250) % 250, i % 250 + 1, 4096 + i
	for (i = 1; i <= np; i++)
		printf "spdadd 10.93.%d.%d 10.92.0.1 any -P in ipsec esp/transport//require;\n",
			int(i / 250) % 250, i % 250 + 1
}' >"$D/conf"
ip netns exec $A "$SETKEY" -f "$D/conf" >"$D/setkey.log" 2>&1 ||
	{ tail -3 "$D/setkey.log" | sed 's/^/# /'; echo "1..0 # SKIP setkey could not load $N SAs"; exit $KSFT_SKIP; }

t0=$(date +%s.%N)
ip netns exec $A "$IPSECSTAT" -s -j >"$D/sa"
t1=$(date +%s.%N)
ip netns exec $A "$IPSECSTAT" -p -j >"$D/pol"
t2=$(date +%s.%N)
ktap_note "$N SAs listed in $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.2f", b - a }') s," \
	"$NP policies in $(awk -v a=$t1 -v b=$t2 'BEGIN { printf "%.2f", b - a }') s"

ktap_plan 4
check "every SA listed once" test "$(sort -u "$D/sa" | wc -l)" -eq $N
check "in the order added (SPIs ascending)" \
	test "$(sed -n 's/.*"spi":\([0-9]*\),.*/\1/p' "$D/sa" | awk -v s=4097 '$1 != s++ { bad = 1 } END { print !bad }')" = 1
check "every policy listed once" test "$(sort -u "$D/pol" | wc -l)" -eq $NP
# A dump that the reader stops half-way, then everything flushed: the
# snapshot's references are dropped when the socket closes.
ip netns exec $A $PY - <<'EOPY'
import socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
def req(msgtype, flags, cmd, attrs):
    body = struct.pack("BBH", cmd, 1, 0) + attrs
    s.send(struct.pack("=IHHII", 16 + len(body), msgtype, flags, 1, 0) + body)
    return s.recv(65536)
name = b"kameipsec\0"
a = struct.pack("HH", 4 + len(name), 2) + name
r = req(16, 1, 3, a + b"\0" * (-len(a) % 4))
off, fam = 20, None
while off < len(r):
    l, t = struct.unpack_from("HH", r, off)
    if t == 1:
        fam = struct.unpack_from("H", r, off + 4)[0]
    off += (l + 3) & ~3
req(fam, 0x301, 3, b"")		# NLM_F_REQUEST | NLM_F_DUMP, KAME_CMD_GET_SA: one round
s.close()
EOPY
ip netns exec $A "$SETKEY" -F
ip netns exec $A "$SETKEY" -FP
check "after a dump cut short and a flush, the table is empty" \
	test "$(ip netns exec $A "$IPSECSTAT" -s -j | wc -l)" -eq 0
ktap_finish
