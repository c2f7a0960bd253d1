#!/bin/bash
# fuzz-run.sh BINARY SECONDS SEEDS [LIBFUZZER-OPTION...]: one libFuzzer
# target (built by mk/fuzz.mk) for SECONDS. New inputs go to BINARY-corpus/,
# the committed SEEDS directory is only read; crashes, leaks, timeouts and
# out-of-memory inputs go to BINARY-artifacts/ (emptied first), the log to
# BINARY.log. Prints one line (executions, new inputs, artifacts); fails,
# with the log's tail, on any artifact or a non-zero exit.
set -u
bin=$1 secs=$2 seeds=$3
shift 3
name=${bin##*/}
rm -rf "$bin-artifacts"
mkdir -p "$bin-corpus" "$bin-artifacts"
rc=0
"$bin" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$bin-artifacts/" \
	"$@" "$bin-corpus" "$seeds" >"$bin.log" 2>&1 || rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$bin.log")
[ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$bin.log" | tail -n 1 | tr -d '#')
new=$(sed -n 's/^stat::new_units_added: *//p' "$bin.log")
crashes=$(find "$bin-artifacts" -type f | wc -l)
echo "# $name: ${execs:-0} executions in $secs s, ${new:-0} new inputs, $crashes crashes (log: $bin.log)"
if [ $rc -ne 0 ] || [ "$crashes" -ne 0 ]; then
	tail -n 40 "$bin.log"
	exit 1
fi
