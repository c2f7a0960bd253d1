#!/bin/bash
# Every drop reason the kernel has (kmod/engine/stats.c's table) is
# provoked by a VM selftest: its name appears in a selftests/*.sh or *.c
# that is not a comment line. The few that no test can provoke on a
# working kernel are listed below with the reason; listing one that a test
# does mention fails too, so the list shrinks as tests arrive.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
# Reasons no packet or socket can reach, each with why; none since the
# engine's fault injection points (selftests/engine_fault.sh).
declare -A unprovokable=()
mapfile -t reasons < <(sed -n 's/^\s*\[KAME_DROP_[A-Z0-9_]*\] = { "\([a-z0-9_]*\)".*/\1/p' \
	"$top/kmod/engine/stats.c")
# The table must list every enum value (KAME_DROP_MAX excluded).
want=$(sed -n '/^enum kame_drop {/,/^};/p' "$top/kmod/engine/stats.h" |
	grep -c '^\s*KAME_DROP_[A-Z0-9_]*,')
echo "TAP version 13"
echo "1..$((${#reasons[@]} + 1))"
n=1 fail=0
if [ "${#reasons[@]}" -eq "$want" ] && [ "$want" -gt 0 ]; then
	echo "ok $n the drop table lists all $want reasons of enum kame_drop"
else
	echo "not ok $n the drop table lists ${#reasons[@]} names, enum kame_drop has $want"
	fail=1
fi
for r in "${reasons[@]}"; do
	n=$((n + 1))
	tests=$(grep -lw -- "$r" "$top"/selftests/*.sh "$top"/selftests/*.c 2>/dev/null |
		while read -r f; do
			grep -w -- "$r" "$f" | grep -qv '^\s*#' && basename "$f"
		done | tr '\n' ' ')
	if [ -n "${unprovokable[$r]+x}" ]; then
		if [ -n "$tests" ]; then
			echo "not ok $n $r is provoked by $tests: take it off the unprovokable list"
			fail=1
		else
			echo "ok $n $r # SKIP not provokable: ${unprovokable[$r]}"
		fi
	elif [ -n "$tests" ]; then
		echo "ok $n $r provoked by $tests"
	else
		echo "not ok $n $r: no selftest provokes it"
		fail=1
	fi
done
exit $fail
