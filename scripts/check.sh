#!/bin/bash
# make check: dependencies, build, host tests, then the selftests in the VM.
# Ends with one line "N passed, N failed" over all test cases; exits non-zero
# on any failure. A stage that fails without reporting a failed case (a build
# error, a VM that did not finish) counts as one failure.
# KFLAVOUR (rt, cloud, debug): the same suite on another kernel (see
# Makefile); debug adds the long unload and storm runs (make check-debug).
set -uo pipefail
cd "$(dirname "$0")/.."
flavour=${KFLAVOUR:-}
export KFLAVOUR=$flavour
LOG=build/check${flavour:+-$flavour}
mkdir -p "$LOG"
pass=0 fail=0

stage() {
	local name=$1 rc p f t0=$SECONDS
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$LOG/$name.log"
	rc=${PIPESTATUS[0]}
	echo "=== $name took $((SECONDS - t0)) s"
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
# The module is built against the kernel's tree: the debug one first.
timeout=3600
stage deps scripts/deps.sh &&
if [ "$flavour" = debug ]; then
	timeout=14400	# KASAN + lockdep + kmemleak under TCG: 5-15x slower
	export KAME_TEST_TIMEOUT=3600
	export KAME_SLOW=8	# the tests' own time limits (selftests/lib.sh)
	stage debug-kernel make vm-kernel
fi &&
stage build make -j"$(nproc)" all &&
stage vm-kernel make vm-kernel
ready=$?
if [ $ready -eq 0 ]; then
	stage host make -k check-host
	# The whole suite, split over guests running side by side (the guest
	# mostly waits: selftests/vm/shards.sh); one guest took 22 min.
	stage vm env VM_TIMEOUT=$timeout selftests/vm/shards.sh
	# Our setkey must be a correct client of any PF_KEY kernel: the same
	# seed scripts against Linux's own af_key.
	stage vm-afkey selftests/vm/run.sh --noload -- selftests/setkey/seed.sh --af_key
	if [ "$flavour" = debug ]; then
		# Issue #12's long runs: 50 unload cycles under load (hooks held,
		# see unload_traffic.sh), and the storms.
		stage vm-unload50 env VM_TIMEOUT=$timeout UNLOAD_CYCLES=50 \
			selftests/vm/run.sh -- selftests/unload_traffic.sh
		stage vm-storms env VM_TIMEOUT=$timeout selftests/vm/run.sh -- selftests/storms.sh
	fi
fi
echo "=== check took $(( $(date +%s) - start )) s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
