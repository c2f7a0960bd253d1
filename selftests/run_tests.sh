#!/bin/bash
# kselftest-style runner: runs each test, indents its KTAP output, prints one
# result line per test and a Totals line over all test cases (the top-level
# check script adds these up). KAME_TEST_TIMEOUT: seconds a test may take
# (600; the debug kernel needs several times more).
cd "$(dirname "$0")"
tests=("$@")
echo "TAP version 13"
echo "1..${#tests[@]}"
pass=0 fail=0 skip=0 n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	echo "# selftests: kameipsec: $t"
	# A splat in the guest's dmesg then names the test that caused it.
	echo "kameipsec selftest: $t" 2>/dev/null >/dev/kmsg || true
	log=$(mktemp)
	t0=$(date +%s)
	# sed -u: each line reaches the console as it comes (a slow or stuck
	# test shows where it is, not a 4 KiB buffer later).
	timeout "${KAME_TEST_TIMEOUT:-600}" "./$t" 2>&1 | tee "$log" | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	echo "# $t took $(( $(date +%s) - t0 )) s"
	p=$(grep -Ec '^ok [0-9]+ ' "$log" | head -1)
	s=$(grep -Ec '^ok [0-9]+ .*# SKIP' "$log" | head -1)
	f=$(grep -Ec '^not ok [0-9]+ ' "$log" | head -1)
	rm -f "$log"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$rc" -ne 4 ]; then
		f=1	# died without saying which case failed
	fi
	pass=$((pass + p - s)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$rc" -eq 4 ]; then
		echo "ok $n selftests: kameipsec: $t # SKIP"
	elif [ "$rc" -eq 0 ]; then
		echo "ok $n selftests: kameipsec: $t"
	else
		echo "not ok $n selftests: kameipsec: $t # exit=$rc"
	fi
done
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ "$fail" -eq 0 ]
