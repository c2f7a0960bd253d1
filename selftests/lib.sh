# Shared helpers for the shell selftests: KTAP output and small wrappers.
# A test script sources this, calls ktap_plan N, then one ok/fail per check,
# and ends with ktap_finish (which sets the exit status).

KTAP_N=0
KTAP_FAIL=0
KTAP_PASS=0
KTAP_SKIP=0
KTAP_PLAN=
KSFT_SKIP=4

# Result lines go to the script's own stdout even when a check's command is
# redirected ("check desc cmd >/dev/null" must not swallow the "ok" line).
exec {KTAP_FD}>&1

ktap_plan() { KTAP_PLAN=$1; echo "TAP version 13"; echo "1..$1"; }
ktap_ok() { KTAP_N=$((KTAP_N + 1)); KTAP_PASS=$((KTAP_PASS + 1)); echo "ok $KTAP_N $*" >&$KTAP_FD; }
ktap_fail() { KTAP_N=$((KTAP_N + 1)); KTAP_FAIL=$((KTAP_FAIL + 1)); echo "not ok $KTAP_N $*" >&$KTAP_FD; }
ktap_skip() { KTAP_N=$((KTAP_N + 1)); KTAP_SKIP=$((KTAP_SKIP + 1)); echo "ok $KTAP_N # SKIP $*" >&$KTAP_FD; }
ktap_note() { echo "# $*"; }

# check "description" command...: one test case from a command's status.
check() {
	local desc=$1
	shift
	if "$@"; then ktap_ok "$desc"; else ktap_fail "$desc"; fi
}

ktap_finish() {
	# A plan that does not match the results is a broken test, not a pass.
	if [ -n "$KTAP_PLAN" ] && [ "$KTAP_N" -ne "$KTAP_PLAN" ]; then
		echo "# planned $KTAP_PLAN cases but reported $KTAP_N"
		ktap_fail "the plan matches the number of cases"
	fi
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
	[ "$KTAP_FAIL" -eq 0 ]
}

# Run a command in a network namespace, echoing it first.
nsrun() { local ns=$1; shift; echo "# [$ns] $*"; ip netns exec "$ns" "$@"; }

# The module's state: loaded or not.
kame_loaded() { grep -q '^kameipsec ' /proc/modules; }
afkey_loaded() { grep -q '^af_key ' /proc/modules; }
