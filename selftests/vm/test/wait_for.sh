#!/bin/bash
# lib.sh's wait_for: its limit is SECONDS x KAME_SLOW of time, whatever the
# command costs. Until 2026-12 it was a number of tries (5 a second), so a
# command that waits itself multiplied it: racoon_natt's "wait_for 10
# ping_q" on the debug kernel (KAME_SLOW=8, ping -W 16) was 400 tries of
# 17 s, and the test ran into its harness limit instead of failing.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
. "$TOP/selftests/lib.sh"

ktap_plan 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tries() { echo x >>"$tmp/$1"; [ -n "${2:-}" ] && sleep "$2"; [ "$(wc -l <"$tmp/$1")" -ge "${3:-1000}" ]; }
count() { wc -l <"$tmp/$1"; }

KAME_SLOW=1 wait_for 1 tries slow 0.5
check "a command that takes 0.5 s is tried at most 3 times in 1 s (not 5)" \
	test "$(count slow)" -le 3
KAME_SLOW=1 wait_for 1 tries fast
check "a quick command is tried again until the limit" test "$(count fast)" -ge 2
check "success on the third try is success" \
	eval 'KAME_SLOW=1 wait_for 5 tries third "" 3 && [ "$(count third)" -eq 3 ]'
KAME_SLOW=2 wait_for 1 tries slow2 0.5
check "KAME_SLOW=2 doubles the limit (about 3 tries of 0.7 s in 2 s)" \
	eval '[ "$(count slow2)" -ge 2 ] && [ "$(count slow2)" -le 4 ]'
ktap_finish
