#!/bin/bash
# The guest's environment file (selftests/vm/vm_env.sh), read as the guest
# reads it (dash): the command and the test knobs arrive intact. Until
# 2026-12 the knobs were dropped, so "UNLOAD_CYCLES=50 run.sh -- ..." ran
# the default 8 cycles without a word.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
. "$TOP/selftests/lib.sh"
. "$TOP/selftests/vm/vm_env.sh"

ktap_plan 5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# As the guest runs it: dash sources the file, then runs VM_CMD.
guest() { dash -c ". '$tmp/vm.env'; sh -c \"\$VM_CMD\"; cat /tmp/.vm_rc" 2>&1; }

UNLOAD_CYCLES=50 STORM_SCALE=7 ENGINE_FULL=1 KEEP_LOGS="a b 'c'" NOT_A_KNOB=x \
	vm_env_write /src 6.1.0 0 sh -c 'echo "[$UNLOAD_CYCLES|$STORM_SCALE|$ENGINE_FULL|$KEEP_LOGS|${NOT_A_KNOB:-unset}]"' \
	>"$tmp/vm.env"
out=$(guest)
check "UNLOAD_CYCLES and STORM_SCALE reach the guest's command" \
	grep -q '^\[50|7|' <<<"$out"
check "a value with spaces and quotes arrives unchanged" \
	grep -qF "|1|a b 'c'|" <<<"$out"
check "variables that are not test knobs stay on the host" \
	grep -qF '|unset]' <<<"$out"
check "the command's exit status is recorded" \
	grep -qx 0 <<<"$(tail -n 1 <<<"$out")"
MULTI=$'x\ny' KAME_MULTI=$'x\ny' vm_env_write /src 6.1.0 1 true >"$tmp/vm.env"
check "a value with a newline is left out, not broken into commands" \
	eval '! grep -q KAME_MULTI "$tmp/vm.env" && dash -n "$tmp/vm.env"'
ktap_finish
