#!/bin/bash
# SADB_ACQUIRE from the packet path, as a key daemon sees it on a PF_KEY
# socket registered for ESP, and KAME's levels that decide what happens to
# the packet meanwhile:
#   require  dropped (out_nosa), one ACQUIRE per blockacq_count + 1 packets
#   use      sent clear, and an ACQUIRE all the same
#   default  resolved through net.inet.ipsec.esp_trans_deflev
#   unique   binds to the SA with the request's reqid, nothing else
#
#   [A: kameipsec] a0 10.56.0.1 ---- veth ---- b0 10.56.0.2..7 [B: XFRM]
# Each case talks to its own address of B: an acquire block lives
# net.key.blockacq_lifetime seconds per address pair.
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=kqa$$ B=kqb$$
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
D=$(mktemp -d)
cleanup_files "$D"
netns_add $A $B
ip -n $A link add a0 type veth peer name b0 netns $B
ip -n $A addr add 10.56.0.1/24 dev a0
for i in 2 3 4 5 6 7; do ip -n $B addr add 10.56.0.$i/24 dev b0; done
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a0 up
ip -n $B link set b0 up

# A key daemon's view: register for ESP, then print one line per ACQUIRE:
# "ACQUIRE seq=N satype=N src=ADDR dst=ADDR spid=N combs=N pairs=E/A,...".
cat >$D/listen.py <<'EOF'
import socket, struct, sys
PF_KEY, SADB_REGISTER, SADB_ACQUIRE, SATYPE_ESP = 15, 7, 6, 3
s = socket.socket(PF_KEY, socket.SOCK_RAW, 2)
s.send(struct.pack("=BBBBHHII", 2, SADB_REGISTER, 0, SATYPE_ESP, 2, 0, 1, 0))
while True:
    m = s.recv(65536)
    if m[1] == SADB_REGISTER and m[2] == 0:
        break
print("registered", flush=True)
while True:
    m = s.recv(65536)
    if m[1] != SADB_ACQUIRE:
        continue
    _, _, err, satype, _, _, seq, _ = struct.unpack_from("=BBBBHHII", m)
    f = {"seq": seq, "satype": satype, "spid": "-", "combs": 0, "pairs": "-"}
    off = 16
    while off + 4 <= len(m):
        elen, etype = struct.unpack_from("=HH", m, off)
        if elen == 0:
            break
        if etype in (5, 6):             # SADB_EXT_ADDRESS_SRC / _DST
            ip = socket.inet_ntoa(m[off + 12:off + 16])
            f["src" if etype == 5 else "dst"] = ip
        elif etype == 18:               # SADB_X_EXT_POLICY
            f["spid"] = struct.unpack_from("=I", m, off + 8)[0]
        elif etype == 13:               # SADB_EXT_PROPOSAL: 8 + 72 per comb
            n = (elen * 8 - 8) // 72
            f["combs"] = n
            f["pairs"] = ",".join("%d/%d" % (m[off + 8 + 72 * i + 1], m[off + 8 + 72 * i])
                                  for i in range(n))
        off += elen * 8
    print("ACQUIRE seq=%(seq)d satype=%(satype)d src=%(src)s dst=%(dst)s "
          "spid=%(spid)s combs=%(combs)d pairs=%(pairs)s" % f, flush=True)
EOF
ip netns exec $A $PY -u $D/listen.py >$D/acq.log 2>&1 &
PIDS="$PIDS $!"
for i in $(seq 50); do grep -q registered $D/acq.log && break; sleep 0.2; done

a() { ip netns exec $A "$@"; }
spd() { a "$SETKEY" -FP >/dev/null; echo "$1" | a "$SETKEY" -c; }
# The id of the only policy, as setkey -DP prints it.
spid() { a "$SETKEY" -DP | sed -n 's/.*spid=\([0-9]*\).*/\1/p' | head -1; }
acqs() { grep -c "dst=$1 " $D/acq.log; }
# pings DST N: N pings, one each 0.2 s; succeeds if any was answered.
pings() { a ping -c "$2" -i 0.2 -W 1 "$1" >/dev/null 2>&1; }
settle() { sleep 0.5; }

ktap_plan 14

# 1. require: dropped and counted; one ACQUIRE for three packets.
spd "spdadd 10.56.0.1 10.56.0.2 icmp -P out ipsec esp/transport//require;"
n0=$(stat_of kame_ipsecstat out_nosa)
pings 10.56.0.2 3 && r=ok || r=fail
settle
n1=$(stat_of kame_ipsecstat out_nosa)
check "require: no reply, out_nosa +3 ($n0 -> $n1)" \
	[ $r = fail -a "$n1" -eq $((n0 + 3)) ]
check "require: one ACQUIRE for 3 packets (blockacq_count 10)" \
	[ "$(acqs 10.56.0.2)" -eq 1 ]
line=$(grep "dst=10.56.0.2 " $D/acq.log | head -1)
ktap_note "$line"
check "require: ACQUIRE names ESP, both addresses, the policy and algorithms" \
	sh -c "echo '$line' | grep -q 'satype=3 src=10.56.0.1 dst=10.56.0.2 spid=$(spid) combs=[1-9]'"
# esp_auth 0 (KAME's default): ciphers alone, AEADs among them (20 = aes-gcm-16).
check "esp_auth=0: the proposal lists ciphers alone, aes-gcm-16 and rijndael-cbc too" \
	sh -c "echo '$line' | grep -q 'pairs=.*20/0' && echo '$line' | grep -q 'pairs=.*12/0'"

# 2. blockacq_count 0: every packet asks again, with the same sequence.
a sysctl -qw net.key.blockacq_count=0
spd "spdadd 10.56.0.1 10.56.0.3 icmp -P out ipsec esp/transport//require;"
pings 10.56.0.3 3
settle
check "blockacq_count=0: three ACQUIREs for 3 packets" [ "$(acqs 10.56.0.3)" -eq 3 ]
check "blockacq_count=0: all with the block's sequence number" \
	[ "$(grep "dst=10.56.0.3 " $D/acq.log | cut -d' ' -f2 | sort -u | wc -l)" -eq 1 ]
a sysctl -qw net.key.blockacq_count=10

# esp_auth 1: each cipher with each authenticator, AEADs still alone.
a sysctl -qw net.key.esp_auth=1
spd "spdadd 10.56.0.1 10.56.0.7 icmp -P out ipsec esp/transport//require;"
pings 10.56.0.7 1
settle
line=$(grep "dst=10.56.0.7 " $D/acq.log | head -1)
ktap_note "$line"
check "esp_auth=1: rijndael-cbc with hmac-sha1, aes-gcm-16 alone, no null" \
	sh -c "echo '$line' | grep -q 'pairs=.*12/3' && echo '$line' | grep -q 'pairs=.*20/0' &&
	       ! echo '$line' | grep -q 'pairs=.*12/0' && ! echo '$line' | grep -Eq '(=|,)11/'"
a sysctl -qw net.key.esp_auth=0

# 3. use: the packet goes clear (and is answered); the daemon is asked.
spd "spdadd 10.56.0.1 10.56.0.4 icmp -P out ipsec esp/transport//use;"
check "use: sent clear and answered" pings 10.56.0.4 2
settle
check "use: an ACQUIRE all the same" [ "$(acqs 10.56.0.4)" -eq 1 ]

# 4. default: follows net.inet.ipsec.esp_trans_deflev (1 use, 2 require).
spd "spdadd 10.56.0.1 10.56.0.5 icmp -P out ipsec esp/transport//default;"
a sysctl -qw net.inet.ipsec.esp_trans_deflev=1
check "default with esp_trans_deflev=1: clear and answered" pings 10.56.0.5 2
a sysctl -qw net.inet.ipsec.esp_trans_deflev=2
n0=$(stat_of kame_ipsecstat out_nosa)
pings 10.56.0.5 2 && r=ok || r=fail
n1=$(stat_of kame_ipsecstat out_nosa)
check "default with esp_trans_deflev=2: dropped, out_nosa +2" \
	[ $r = fail -a "$n1" -eq $((n0 + 2)) ]
a sysctl -qw net.inet.ipsec.esp_trans_deflev=1

# 5. unique: SAs with reqid 7 both ways (B runs XFRM); unique:7 uses them,
#    unique:8 does not (dropped), require takes any SA.
xfrm_keys aes-gcm-16
a "$SETKEY" -c <<EOF
add 10.56.0.1 10.56.0.6 esp 0x7001 -u 7 $KEYS_SETKEY;
add 10.56.0.6 10.56.0.1 esp 0x7002 -u 7 $KEYS_SETKEY;
EOF
ip -n $B xfrm state add src 10.56.0.1 dst 10.56.0.6 proto esp spi 0x7001 \
	mode transport $KEYS_XFRM
ip -n $B xfrm state add src 10.56.0.6 dst 10.56.0.1 proto esp spi 0x7002 \
	mode transport $KEYS_XFRM
ip -n $B xfrm policy add src 10.56.0.6 dst 10.56.0.1 proto icmp dir out \
	tmpl src 10.56.0.6 dst 10.56.0.1 proto esp mode transport
ip -n $B xfrm policy add src 10.56.0.1 dst 10.56.0.6 proto icmp dir in \
	tmpl src 10.56.0.1 dst 10.56.0.6 proto esp mode transport
in_pol="spdadd 10.56.0.6 10.56.0.1 icmp -P in ipsec esp/transport//require;"
spd "spdadd 10.56.0.1 10.56.0.6 icmp -P out ipsec esp/transport//unique:7; $in_pol"
e0=$(stat_of kame_ipsecstat out_success)
pings 10.56.0.6 2 && r=ok || r=fail
e1=$(stat_of kame_ipsecstat out_success)
check "unique:7: crosses the reqid-7 SA (out_success $e0 -> $e1)" \
	[ $r = ok -a "$e1" -ge $((e0 + 2)) ]
spd "spdadd 10.56.0.1 10.56.0.6 icmp -P out ipsec esp/transport//unique:8; $in_pol"
n0=$(stat_of kame_ipsecstat out_nosa)
pings 10.56.0.6 2 && r=ok || r=fail
n1=$(stat_of kame_ipsecstat out_nosa)
check "unique:8: the reqid-7 SA is not used; dropped, out_nosa +2" \
	[ $r = fail -a "$n1" -eq $((n0 + 2)) ]
spd "spdadd 10.56.0.1 10.56.0.6 icmp -P out ipsec esp/transport//require; $in_pol"
check "require: any SA will do, the reqid-7 one included" pings 10.56.0.6 2

if [ $KTAP_FAIL -gt 0 ]; then
	sed 's/^/# listener: /' $D/acq.log
	a "$SETKEY" -DP | sed 's/^/# -DP: /'
	a grep -v ' 0$' /proc/net/kame_ipsecstat | sed 's/^/# stat: /'
fi
ktap_finish
