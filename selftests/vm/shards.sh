#!/bin/bash
# Run the VM suite as several VMs at once (make check's vm stage).
#
#   selftests/vm/shards.sh [N]
#
# Most of the suite's time in the guest is waiting (IKE retransmits, SA
# lifetimes, DPD, timeouts): one TCG guest keeps the host's 2 cores about a
# third busy. N guests (default VM_SHARDS, else 2) each run part of the
# tests, split by the durations measured in selftests/vm/durations
# (shard-plan.sh), in the Makefile's order within each guest. Each guest is a full run.sh boot:
# module loaded before, unloaded after, dmesg judged. The outputs are printed
# one after the other when all are done, so "# Totals:" lines add up as for
# one run. Exit status: the first failing guest's, else 0.
#
# Env: VM_SHARDS; VM_TESTS, a list of the suite's tests to run instead of
# all (a debug-kernel run split over sessions); and what run.sh takes
# (VM_TIMEOUT, KFLAVOUR...).
set -uo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-${VM_SHARDS:-2}}

# The whole machine's VM lock, once for all guests (run.sh skips it then);
# KAME_VM_LOCK_HELD set by the caller: taken already, or knowingly skipped.
if [ -z "${KAME_VM_LOCK_HELD:-}" ]; then
	exec 9>/tmp/kameipsec-vm.lock
	flock 9
	export KAME_VM_LOCK_HELD=1
fi

read -r -a progs < <(make -s --no-print-directory -C "$SRC/selftests" print_tests)
[ ${#progs[@]} -gt 0 ] || { echo "shards: no tests listed"; exit 1; }
if [ -n "${VM_TESTS:-}" ]; then
	# Only those, in the suite's order; a name not in the suite is an error.
	want=" $VM_TESTS " kept=()
	for t in $VM_TESTS; do
		[[ " ${progs[*]} " == *" $t "* ]] || { echo "shards: $t: not in the suite"; exit 1; }
	done
	for t in "${progs[@]}"; do
		[[ $want == *" $t "* ]] && kept+=("$t")
	done
	progs=("${kept[@]}")
fi
[ "$n" -ge 1 ] 2>/dev/null || n=1

# assign[i]: the guest that runs progs[i] (shard-plan.sh).
mapfile -t assign < <("$SRC/selftests/vm/shard-plan.sh" "$n" \
	"$SRC/selftests/vm/durations" "${progs[@]}" | cut -d' ' -f1)
[ ${#assign[@]} -eq ${#progs[@]} ] || { echo "shards: no plan"; exit 1; }

logs=$(mktemp -d)
pids=()
trap 'rm -rf "$logs"' EXIT
trap 'kill "${pids[@]}" 2>/dev/null; exit 130' INT TERM
for ((s = 0; s < n; s++)); do
	sh_progs= gen_progs=
	for i in "${!progs[@]}"; do
		[ "${assign[$i]}" = "$s" ] || continue
		t=${progs[$i]}
		case $t in
		*.sh) sh_progs+="$t " ;;
		*) gen_progs+="$t " ;;
		esac
	done
	[ -n "$sh_progs$gen_progs" ] || continue
	echo "shards: guest $s: $sh_progs$gen_progs"
	"$SRC/selftests/vm/run.sh" -- make -C selftests run_tests \
		TEST_PROGS="${sh_progs% }" TEST_GEN_PROGS="${gen_progs% }" \
		>"$logs/$s.log" 2>&1 &
	pids[s]=$!
done

rc=0
for s in "${!pids[@]}"; do
	wait "${pids[$s]}" && r=0 || r=$?
	[ "$rc" -ne 0 ] || rc=$r
done
for s in "${!pids[@]}"; do
	echo "=== guest $s"
	cat "$logs/$s.log"
done
exit "$rc"
