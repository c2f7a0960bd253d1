#!/bin/bash
# setkey against a real PF_KEY kernel, inside the VM:
#   selftests/vm/run.sh -- selftests/setkey/seed.sh             (kameipsec.ko)
#   selftests/vm/run.sh --noload -- selftests/setkey/seed.sh --af_key
# Every seed configuration is loaded with setkey -f (and -c), then -D / -DP
# are compared with expected/<kernel>/<case>.out after normalising times,
# pids and policy ids. Actual outputs land in build/setkey-vm/<kernel>/.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
SETKEY=${SETKEY:-$SRC/user/setkey/setkey}
kernel=kameipsec
if [ "${1:-}" = --af_key ]; then
	kernel=af_key
	modprobe af_key || { echo "Bail out! cannot load af_key"; exit 1; }
fi
OUT=$SRC/build/setkey-vm/$kernel
mkdir -p "$OUT" 2>/dev/null || OUT=$(mktemp -d)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
fails=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fails=$((fails + 1))
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}

# Times, pids, reference counts and kernel-chosen ids differ from run to
# run and from kernel to kernel.
normalise() {
	sed -E -e 's/[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}/DATE/g' \
	       -e 's/diff: [0-9]+\(s\)/diff: N(s)/' \
	       -e 's/spid=[0-9]+/spid=ID/' \
	       -e 's/ pid=[0-9]+/ pid=PID/' \
	       -e 's/unique#[0-9]+/unique#N/g' \
	       -e 's/refcnt=[0-9]+$/refcnt=N/'
}

snapshot() {
	{
		"$SETKEY" -D
		echo "----"
		"$SETKEY" -DP
	} 2>&1 | normalise
}

compare() {	# name file
	local want=$HERE/expected/$kernel/$1.out

	cp "$2" "$OUT/$1.out"
	if [ ! -f "$want" ]; then
		skip "$1: -D/-DP" "no expected/$kernel/$1.out yet (actual: $OUT/$1.out)"
		return
	fi
	diff -u "$want" "$2" >"$TMP/diff"
	local rc=$?
	[ $rc = 0 ] || sed 's/^/# /' "$TMP/diff"
	ok $rc "$1: -D/-DP match expected/$kernel/$1.out"
}

clean() {
	"$SETKEY" -F >/dev/null 2>&1
	"$SETKEY" -FP >/dev/null 2>&1
}

echo "TAP version 13"
echo "# kernel: $kernel, setkey: $SETKEY"
cases=$(cd "$HERE/cases" && ls *.conf | sed 's/\.conf$//')

for c in $cases; do
	if [ $kernel = af_key ] && grep -q '^# af_key: skip' "$HERE/cases/$c.conf"; then
		skip "$c" "needs kameipsec"
		continue
	fi
	clean
	"$SETKEY" -f "$HERE/cases/$c.conf" >"$TMP/out" 2>&1
	rc=$?
	[ $rc = 0 ] || sed 's/^/# /' "$TMP/out"
	ok $rc "$c: setkey -f loads"
	snapshot >"$TMP/snap"
	compare "$c" "$TMP/snap"
done

# The seed feeds the POP policies with setkey -c: same result.
clean
"$SETKEY" -c <"$HERE/cases/pop_ah.conf" >"$TMP/out" 2>&1
ok $? "pop_ah: setkey -c loads"
snapshot >"$TMP/snap"
cp "$TMP/snap" "$OUT/pop_ah-c.out"
cmp -s "$TMP/snap" "$OUT/pop_ah.out"
ok $? "pop_ah: -c and -f give the same -DP"

# A kernel error in the middle: earlier and later statements stay, exit 1.
clean
cat >"$TMP/dup.conf" <<'CONF'
add 10.9.0.1 10.9.0.2 esp 500 -E aes-cbc "0123456789abcdef";
add 10.9.0.1 10.9.0.2 esp 500 -E aes-cbc "0123456789abcdef";
add 10.9.0.1 10.9.0.2 esp 501 -E aes-cbc "0123456789abcdef";
CONF
"$SETKEY" -f "$TMP/dup.conf" >"$TMP/out" 2>&1
rc=$?
"$SETKEY" -D >"$TMP/d" 2>&1
[ $rc = 1 ] && grep -q "dup.conf:2: add: File exists" "$TMP/out" &&
	[ "$(grep -c 'spi=50[01]' "$TMP/d")" = 2 ]
rc=$?
[ $rc = 0 ] || { sed 's/^/# /' "$TMP/out"; grep 'spi=' "$TMP/d" | sed 's/^/# /'; }
ok $rc "a kernel error names file:line and the errno, the others stay applied"

# getspi then update in one run, get, delete, deleteall.
clean
cat >"$TMP/flow.conf" <<'CONF'
getspi 10.9.0.1 10.9.0.2 esp 0x4242 -m transport;
update 10.9.0.1 10.9.0.2 esp 0x4242 -m transport -E aes-cbc "0123456789abcdef";
get 10.9.0.1 10.9.0.2 esp 0x4242;
add 10.9.0.1 10.9.0.2 ah 0x5000 -A hmac-sha1 "0123456789abcdefghij";
add 10.9.0.1 10.9.0.2 ah 0x5001 -A hmac-sha1 "0123456789abcdefghij";
delete 10.9.0.1 10.9.0.2 esp 0x4242;
deleteall 10.9.0.1 10.9.0.2 ah;
CONF
"$SETKEY" -f "$TMP/flow.conf" >"$TMP/out" 2>&1
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$TMP/out"
[ $rc = 0 ] && grep -q 'spi=16962(0x00004242)' "$TMP/out" &&
	grep -q 'state=mature' "$TMP/out" && [ "$("$SETKEY" -D)" = "No SAD entries." ]
ok $? "getspi + update + get + delete + deleteall"
"$SETKEY" -c <<<"delete 10.9.0.1 10.9.0.2 esp 0x4242;" >"$TMP/out" 2>&1
[ $? = 1 ] && grep -q "stdin:1: delete: No entry" "$TMP/out"
ok $? "deleting a missing SA says No entry"

# An algorithm the kernel does not list is refused before sending.
"$SETKEY" -c >"$TMP/out" 2>&1 <<'CONF'
add 10.9.0.1 10.9.0.2 esp 0x600 -E aes-cbc "0123456789abcdef" -A hmac-sha256-128 "0123456789abcdef0123456789abcdef";
CONF
rc=$?
if grep -q 'not supported by this kernel' "$TMP/out"; then
	ok $(( rc != 1 )) "hmac-sha256-128 refused clearly where the kernel lacks it"
else
	ok $rc "hmac-sha256-128 accepted (the kernel lists SADB id 12)"
fi

# -r (ipsec-tools' Linux default) adds a fwd copy of every in policy.
clean
"$SETKEY" -r -c >"$TMP/out" 2>&1 <<'CONF'
spdadd 10.9.1.0/24 10.9.2.0/24 any -P in ipsec esp/tunnel/10.9.0.2-10.9.0.1/unique:5;
CONF
rc=$?
"$SETKEY" -DP >"$TMP/d" 2>&1
[ $rc = 0 ] && grep -q '^	fwd prio def ipsec' "$TMP/d" &&
	grep -q '^	esp/tunnel/10.9.0.2-10.9.0.1/require$' "$TMP/d" &&
	grep -q '^	esp/tunnel/10.9.0.2-10.9.0.1/unique:5$' "$TMP/d"
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$TMP/out" "$TMP/d"
ok $rc "-r installs a fwd copy (require, no reqid) beside the in policy"

# setkey -x sees another process's messages.
clean
"$SETKEY" -x >"$TMP/x" 2>&1 &
xpid=$!
sleep 1
"$SETKEY" -c <<<'add 10.9.0.1 10.9.0.2 esp 0x700 -E aes-cbc "0123456789abcdef";' >/dev/null 2>&1
sleep 1
kill $xpid 2>/dev/null
wait $xpid 2>/dev/null
grep -q 'sadb_msg{ version=2 type=3 ' "$TMP/x" && grep -q 'sadb_sa{ spi=1792 ' "$TMP/x"
ok $? "setkey -x prints an ADD made by another process"

# Bootstrap: the systemd unit's start and stop commands.
clean
unit=$SRC/user/setkey/kameipsec-setkey.service
mkdir -p /etc 2>/dev/null
if cp "$HERE/cases/host2host_esp.conf" /etc/ipsec.conf 2>/dev/null; then
	sbindir=$(dirname "$SETKEY")
	start=$(sed -n 's/^ExecStart=//p' "$unit" | sed -e "s|@SBINDIR@|$sbindir|" -e "s|@IPSEC_CONF@|/etc/ipsec.conf|")
	$start >"$TMP/out" 2>&1
	rc=$?
	[ $rc = 0 ] && [ "$("$SETKEY" -D | grep -c 'esp mode=')" = 2 ] &&
		[ "$("$SETKEY" -DP | grep -c 'esp/transport//use')" = 2 ]
	ok $? "bootstrap: ExecStart ($start) loads /etc/ipsec.conf"
	sed -n 's/^ExecStop=//p' "$unit" | sed -e "s|@SBINDIR@|$sbindir|" -e "s|@IPSEC_CONF@|/etc/ipsec.conf|" |
		while read -r stop; do $stop; done
	[ "$("$SETKEY" -D)" = "No SAD entries." ] && [ "$("$SETKEY" -DP)" = "No SPD entries." ]
	ok $? "bootstrap: ExecStop flushes SAD and SPD"
	rm -f /etc/ipsec.conf
else
	skip "bootstrap" "/etc not writable"
fi

clean
echo "1..$n"
echo "# Totals: pass:$((n - fails)) fail:$fails xfail:0 xpass:0 skip:0 error:0"
[ $fails = 0 ]
