#!/bin/bash
# make check: dependencies, build, host tests, then the selftests in the VM.
# Ends with one line "N passed, N failed" over all test cases; exits non-zero
# on any failure. A stage that fails without reporting a failed case (a build
# error, a VM that did not finish) counts as one failure.
set -uo pipefail
cd "$(dirname "$0")/.."
LOG=build/check
mkdir -p "$LOG"
pass=0 fail=0

stage() {
	local name=$1 rc p f
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$LOG/$name.log"
	rc=${PIPESTATUS[0]}
	p=$(awk '/^# Totals:/ { split($3, a, ":"); s += a[2] } END { print s + 0 }' "$LOG/$name.log")
	f=$(awk '/^# Totals:/ { split($4, a, ":"); s += a[2] } END { print s + 0 }' "$LOG/$name.log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "=== $name: FAILED (exit $rc)"
	fi
	pass=$((pass + p)) fail=$((fail + f))
	return "$rc"
}

start=$(date +%s)
stage deps scripts/deps.sh &&
stage build make -j"$(nproc)" all &&
stage vm-kernel make vm-kernel
ready=$?
if [ $ready -eq 0 ]; then
	stage host make -k check-host
	# The whole suite in one boot: about 20 min under TCG on 2 cores.
	stage vm env VM_TIMEOUT=3600 selftests/vm/run.sh -- make -C selftests run_tests
	# Our setkey must be a correct client of any PF_KEY kernel: the same
	# seed scripts against Linux's own af_key.
	stage vm-afkey selftests/vm/run.sh --noload -- selftests/setkey/seed.sh --af_key
fi
echo "=== check took $(( $(date +%s) - start )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
