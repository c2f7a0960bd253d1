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

# skip_all REASON: the whole test is skipped (no plan yet: "1..0 # SKIP").
skip_all() { echo "1..0 # SKIP $*"; exit $KSFT_SKIP; }

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

# wait_for SECONDS COMMAND...: polls every 0.2 s until COMMAND succeeds,
# for SECONDS times KAME_SLOW (below) at most. The limit is a deadline, not
# a number of tries: a command that waits itself (ping -W) would otherwise
# multiply it (wait_for 10 ping_q on the debug kernel, KAME_SLOW=8: 400
# tries of 17 s each).
wait_for() {
	local end=$((${EPOCHREALTIME//[!0-9]/} + $1 * ${KAME_SLOW:-1} * 1000000))
	shift
	while :; do
		"$@" && return 0
		[ "${EPOCHREALTIME//[!0-9]/}" -lt $end ] || return 1
		sleep 0.2
	done
}

# udp_bound NS PORT: a UDP socket in NS is bound to PORT (a receiver
# started in the background is ready: under TCG a Python one takes seconds).
udp_bound() { ip netns exec "$1" ss -Hlun "sport = :$2" | grep -q .; }

# KAME_SLOW: how many times slower than the stock kernel under TCG this
# kernel runs (make check-debug sets it: KASAN, lockdep and kmemleak make
# the suite ~10 times slower); time limits of helpers grow by it.
KAME_SLOW=${KAME_SLOW:-1}

# The module's state: loaded or not.
kame_loaded() { grep -q '^kameipsec ' /proc/modules; }
afkey_loaded() { grep -q '^af_key ' /proc/modules; }

# --- Teardown ------------------------------------------------------------------
# One EXIT trap for every script. Whatever a test leaves behind breaks the
# later tests of the same VM boot, so a script (or a helper library) registers
# each thing as it makes it, and on exit all of it goes, in this order:
#   1. on_exit 'CMD': commands, in the order given (a capture or transfer to
#      stop, anything the test itself must undo first);
#   2. processes: $PIDS, the script's background ones (PIDS="$PIDS $!"), and
#      daemons whose pid files were named with cleanup_pidfile FILE... (each
#      gets SIGCONT, so a stopped one ends too, then SIGTERM; the pid file
#      ones get 0.3 s to go before their namespaces do);
#   3. cleanup_netns NS...: network namespaces (netns_add NS... adds and
#      registers them);
#   4. on_exit_late 'CMD': what must wait for the namespaces to be gone
#      (load the module again, remove a cgroup);
#   5. cleanup_files PATH...: files and directories (a glob is expanded at
#      the end), and cleanup_logdir DIR: removed, or kept and named when
#      KEEP_LOGS=1.
# stop_pids kills $PIDS at once, waits for them and empties the list.
if [ -z "${KT_TEARDOWN_SET:-}" ]; then
	KT_TEARDOWN_SET=1
	PIDS=
	KT_ON_EXIT=() KT_ON_EXIT_LATE=() KT_PIDFILES=() KT_NETNS=() KT_FILES=() KT_LOGDIRS=()
	trap kt_teardown EXIT
fi
on_exit() { KT_ON_EXIT+=("$*"); }
on_exit_late() { KT_ON_EXIT_LATE+=("$*"); }
cleanup_pidfile() { KT_PIDFILES+=("$@"); }
cleanup_netns() { KT_NETNS+=("$@"); }
cleanup_files() { KT_FILES+=("$@"); }
cleanup_logdir() { KT_LOGDIRS+=("$@"); }
# netns_add NS...: adds the namespaces (up to the first that fails: the
# status is that one's) and deletes them on exit.
netns_add() {
	local n
	cleanup_netns "$@"
	for n in "$@"; do ip netns add "$n" || return; done
}
stop_pids() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	[ -z "$PIDS" ] || wait $PIDS 2>/dev/null
	PIDS=
}
kt_teardown() {
	local c f
	set +eu
	for c in "${KT_ON_EXIT[@]}"; do eval "$c"; done
	stop_pids
	for f in "${KT_PIDFILES[@]}"; do
		[ -f "$f" ] || continue
		kill -CONT "$(cat "$f")" 2>/dev/null
		kill "$(cat "$f")" 2>/dev/null
	done
	[ ${#KT_PIDFILES[@]} -eq 0 ] || sleep 0.3
	for f in "${KT_NETNS[@]}"; do ip netns del "$f" 2>/dev/null; done
	for c in "${KT_ON_EXIT_LATE[@]}"; do eval "$c"; done
	for f in "${KT_FILES[@]}"; do rm -rf $f; done
	for f in "${KT_LOGDIRS[@]}"; do
		if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "# logs in $f"; else rm -rf "$f"; fi
	done
}
