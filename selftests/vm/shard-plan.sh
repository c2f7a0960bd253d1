#!/bin/bash
# Split a test list over N guests: prints "GUEST TEST" per test, in the
# list's order. Longest first onto the least loaded guest, by the seconds in
# DURATIONS ("TEST SECONDS" lines; a test not there counts as 30 s).
#
#   selftests/vm/shard-plan.sh N DURATIONS TEST...
set -euo pipefail
n=$1 durations=$2
shift 2
[ "$n" -ge 1 ] 2>/dev/null || n=1
i=0
for t in "$@"; do
	echo "$i $t"
	i=$((i + 1))
done | awk -v n="$n" -v durf="$durations" '
	BEGIN { while ((getline l < durf) > 0) { split(l, f, " "); d[f[1]] = f[2] } }
	{ idx[NR] = $1; name[NR] = $2; sec[NR] = ($2 in d) ? d[$2] : 30 }
	END {
		# insertion sort by seconds, longest first (stable: list order)
		for (i = 1; i <= NR; i++) order[i] = i
		for (i = 2; i <= NR; i++)
			for (j = i; j > 1 && sec[order[j]] > sec[order[j - 1]]; j--) {
				x = order[j]; order[j] = order[j - 1]; order[j - 1] = x
			}
		for (k = 1; k <= NR; k++) {
			i = order[k]; best = 0
			for (s = 1; s < n; s++) if (load[s] < load[best]) best = s
			load[best] += sec[i]; guest[i] = best
		}
		for (i = 1; i <= NR; i++) print guest[i], name[i]
	}'
