#!/bin/bash
# selftests/vm/shard-plan.sh: the suite split over guests run side by side.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
. "$TOP/selftests/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' "long.sh 100" "mid.sh 60" "short 10" "tiny.sh 5" >"$tmp/d"
plan=$("$TOP/selftests/vm/shard-plan.sh" 2 "$tmp/d" tiny.sh long.sh new.sh mid.sh short)
# The real list: every test of the Makefile once, the load even.
mapfile -t all < <(make -s --no-print-directory -C "$TOP/selftests" print_tests | tr ' ' '\n')
real=$("$TOP/selftests/vm/shard-plan.sh" 2 "$TOP/selftests/vm/durations" "${all[@]}")
load() { awk -v g="$1" -v durf="$TOP/selftests/vm/durations" '
	BEGIN { while ((getline l < durf) > 0) { split(l, f, " "); d[f[1]] = f[2] } }
	$1 == g { s += ($2 in d) ? d[$2] : 30 } END { print s + 0 }' <<<"$real"; }
l0=$(load 0) l1=$(load 1)
max=$(sort -k2 -n "$TOP/selftests/vm/durations" | tail -1 | cut -d' ' -f2)
ktap_plan 6
check "each test once, in the list's order" \
	test "$(cut -d' ' -f2 <<<"$plan" | tr '\n' ' ')" = "tiny.sh long.sh new.sh mid.sh short "
check "longest first onto the least loaded guest (unlisted = 30 s, ties to the first)" \
	test "$(tr '\n' ' ' <<<"$plan")" = "0 tiny.sh 0 long.sh 1 new.sh 1 mid.sh 1 short "
check "one guest: all on guest 0" \
	eval '[ "$("$TOP/selftests/vm/shard-plan.sh" 1 "$tmp/d" a b | cut -d" " -f1 | sort -u)" = 0 ]'
check "the suite: every Makefile test planned once" \
	test "$(wc -l <<<"$real")" -eq "${#all[@]}"
check "the suite: every test has a measured duration" \
	eval '! for t in "${all[@]}"; do grep -q "^$t " "$TOP/selftests/vm/durations" || echo "$t"; done | grep -q .'
check "the suite: guests' loads within the longest test of each other ($l0 s, $l1 s)" \
	test $(( l0 > l1 ? l0 - l1 : l1 - l0 )) -le "$max"
ktap_finish
