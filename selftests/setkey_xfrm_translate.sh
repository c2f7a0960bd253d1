#!/bin/bash
# setkey -X xfrm against a real XFRM peer (issue 16). The seed's scripts,
# unchanged, load into namespace A with setkey (kameipsec); the same
# script seen from the peer (policies mirrored) goes through
# "setkey -X xfrm" and runs as ip xfrm commands in namespace B, which has
# no kameipsec SAs or policies (kameipsec acts only where it has some).
# setkey -n -D lints what A has loaded. Ping crosses both ways and both
# stacks count the ESP/AH packets. Then
# B's state as ip prints it goes through "setkey --from-xfrm" and -X xfrm
# again: the same commands come back, and B reloaded from them still
# talks to A.
#
#   host2host_esp_ah.conf  [A] 10.1.1.1 ---- veth ---- 20.1.1.1 [B]
#   vpn.conf               [A] 10.0.0.1 ---- veth ---- 10.0.0.2 [B]
#                          net 10.0.1.1 on lo          10.0.2.1 on lo
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
. ./engine_lib.sh
[ -x "$SETKEY" ] || skip_all "no user/setkey/setkey"
CASES=$PWD/setkey/cases

A=kxa$$ B=kxb$$
T=/tmp/kxt.$$
cleanup_netns $A $B
cleanup_files $T
mkdir -p $T

# setup A_ADDR B_ADDR [A_NET B_NET]: a veth pair, each namespace's own
# address on it; the networks behind the gateways on lo, routed across.
setup() {
	ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null
	netns_add $A $B
	ip -n $A link add a0 type veth peer name b0 netns $B
	ip -n $A addr add $1/8 dev a0
	ip -n $B addr add $2/8 dev b0
	for n in $A $B; do ip -n $n link set lo up; done
	ip -n $A link set a0 up
	ip -n $B link set b0 up
	ip -n $A route add $2/32 dev a0
	ip -n $B route add $1/32 dev b0
	if [ $# = 4 ]; then
		ip -n $A addr add $3/32 dev lo
		ip -n $B addr add $4/32 dev lo
		ip -n $A route add $4/32 via $2 src $3
		ip -n $B route add $3/32 via $1 src $4
	fi
}

# mirror FILE X Y [X2 Y2]: the peer's view: X and Y (and X2, Y2) swapped
# in the spdadd statements only (the SAs are the same on both hosts).
mirror() {
	local f=$1 e=
	shift
	while [ $# -ge 2 ]; do
		e="$e;s/${1//./\\.}/@@/g;s/${2//./\\.}/$1/g;s/@@/$2/g"
		shift 2
	done
	sed "/^spdadd/,/;/{${e#;}}" "$f"
}

# run_case NAME CONF A_ADDR B_ADDR PING_A PING_B [A_NET B_NET]
run_case() {
	local name=$1 conf=$CASES/$2 a=$3 b=$4 pa=$5 pb=$6
	shift 6
	setup $a $b "$@"
	ip netns exec $A "$SETKEY" -f "$conf"
	check "$name: setkey -f loads the seed script in A" test $? = 0
	# the linter on what is loaded: clean, then a shadowed policy named
	ip netns exec $A "$SETKEY" -n -D >$T/lint 2>&1
	check "$name: setkey -n -D: the loaded script lints clean" \
		test $? = 0 -a ! -s $T/lint
	echo "spdadd $pa $pb icmp -P out none;" | ip netns exec $A "$SETKEY" -c &&
		ip netns exec $A "$SETKEY" -n -D >$T/lint 2>&1
	sed 's/^/# /' $T/lint
	grep -q '^kernel:[0-9]*: warning: this policy can never match: the policy at line [0-9]* (out ' $T/lint
	check "$name: setkey -n -D names the loaded policy that shadows a new one" test $? = 0
	echo "spddelete $pa $pb icmp -P out;" | ip netns exec $A "$SETKEY" -c
	if [ $# = 2 ]; then
		mirror "$conf" $a $b "${1%.*}." "${2%.*}." >$T/peer.conf
	else
		mirror "$conf" $a $b >$T/peer.conf
	fi
	"$SETKEY" -X xfrm -f $T/peer.conf >$T/peer.sh
	check "$name: setkey -X xfrm translates the peer's script" test $? = 0
	ktap_note "$name: $(grep -c '^ip xfrm' $T/peer.sh) ip xfrm commands, $(grep -c '^# approx' $T/peer.sh) approximations"
	ip netns exec $B sh -e $T/peer.sh
	check "$name: the ip xfrm commands run in B" test $? = 0
	out0=$(stat_of kame_ipsecstat out_success) in0=$(stat_of kame_ipsecstat in_success)
	check "$name: ping A -> B" ping_q $A ping $pb
	check "$name: ping B -> A" ping_q $B ping $pa
	out1=$(stat_of kame_ipsecstat out_success) in1=$(stat_of kame_ipsecstat in_success)
	ktap_note "$name: kameipsec out_success +$((out1 - out0)) in_success +$((in1 - in0))"
	check "$name: kameipsec protected both ways" \
		test $((out1 - out0)) -ge 6 -a $((in1 - in0)) -ge 6
	check "$name: every XFRM SA carried packets, no XFRM errors" xfrm_all_used
	# and back: B's state as ip prints it -> setkey script -> ip xfrm
	{ ip -n $B xfrm state; ip -n $B xfrm policy; } |
		"$SETKEY" --from-xfrm >$T/back.conf &&
		"$SETKEY" -X xfrm -f $T/back.conf >$T/back.sh
	check "$name: --from-xfrm then -X xfrm gives the same ip xfrm commands" \
		same_commands $T/peer.sh $T/back.sh
	ip netns exec $B sh -e $T/back.sh &&
		check "$name: B reloaded from the round trip: ping A -> B" ping_q $A ping $pb ||
		ktap_fail "$name: B reloaded from the round trip: ip xfrm failed"
}

# same_commands A.sh B.sh: the same state/policy adds, in any order
# (files, not <(...): the VM has no /dev/fd).
same_commands() {
	grep '^ip xfrm [a-z]* add' "$1" | sort >$T/cmp.1
	grep '^ip xfrm [a-z]* add' "$2" | sort >$T/cmp.2
	[ -s $T/cmp.1 ] && diff $T/cmp.1 $T/cmp.2 >$T/cmp.diff && return 0
	sed 's/^/# /' $T/cmp.diff
	return 1
}

# Every SA in B counted packets, and B's /proc/net/xfrm_stat is all zero.
xfrm_all_used() {
	local n used errs
	n=$(ip -n $B xfrm state | grep -c '^src')
	used=$(ip -n $B -s xfrm state | grep -A1 'lifetime current:' |
		grep -c ', [1-9][0-9]*(packets)')
	errs=$(ip netns exec $B awk '{ s += $2 } END { print s + 0 }' /proc/net/xfrm_stat)
	ktap_note "XFRM SAs: $n, used: $used, xfrm_stat errors: $errs"
	[ "$n" -ge 2 ] && [ "$used" = "$n" ] && [ "$errs" -eq 0 ]
}

ktap_plan 22
run_case "host2host_esp_ah (transport ESP+AH)" host2host_esp_ah.conf \
	10.1.1.1 20.1.1.1 10.1.1.1 20.1.1.1
run_case "vpn (tunnel, SAs without -m)" vpn.conf \
	10.0.0.1 10.0.0.2 10.0.1.1 10.0.2.1 10.0.1.1 10.0.2.1
ktap_finish
