#!/bin/bash
# setkey command-line behaviour without a kernel: options, -n output,
# "file:line: what" errors and exit codes, printing saved messages.
# usage: tests/cli.sh path/to/setkey      (prints TAP)
set -u
SETKEY=${1:-./setkey}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
fails=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fails=$((fails + 1))
	fi
}

# check NAME EXPECTED-RC EXPECTED-STDERR -- command...
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	echo $? >"$TMP/rc"
}

echo "TAP version 13"
echo "1..14"

run "$SETKEY" -V
ok $(( $(cat $TMP/rc) != 0 )) "-V prints a version"

run "$SETKEY" -h
grep -q 'chacha20-poly1305' "$TMP/out" && grep -q 'hmac-sha256-128' "$TMP/out"
ok $? "-h lists the algorithms, modern ones included"

run "$SETKEY" -Z
ok $(( $(cat $TMP/rc) != 1 )) "an unknown option exits 1"

cat >"$TMP/good.conf" <<'CONF'
# seed: host-to-host encryption
flush;
spdflush;
add 10.1.1.1 20.1.1.1 esp 9876 -E 3des-cbc "hogehogehogehogehogehoge";
add 20.1.1.1 10.1.1.1 esp 10000 -E 3des-cbc 0xdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef;
spdadd 10.1.1.1 20.1.1.1 any -P out ipsec
	esp/transport//use;
spdadd 20.1.1.1 10.1.1.1 any -P in ipsec esp/transport//use;
CONF
run "$SETKEY" -n -f "$TMP/good.conf"
[ "$(cat $TMP/rc)" = 0 ] && [ "$(grep -c '^# .*good.conf:' $TMP/out)" = 6 ] &&
	grep -q "^# $TMP/good.conf:6: spdadd" "$TMP/out" && [ ! -s "$TMP/err" ]
ok $? "-n -f: six statements, each with file:line"

run "$SETKEY" -n -r -f "$TMP/good.conf"
[ "$(grep -c '^# .*good.conf:8: spdadd' $TMP/out)" = 2 ]
ok $? "-r adds a fwd copy of the in policy"

cat >"$TMP/bad.conf" <<'CONF'
flush;
add 10.0.0.1 10.0.0.2 esp 300 -E null;
add 10.0.0.1 10.0.0.2 esp 301 -E aes-cbc 0x1234;
spdflush;
CONF
run "$SETKEY" -n -f "$TMP/bad.conf"
[ "$(cat $TMP/rc)" = 1 ] &&
	grep -qx "$TMP/bad.conf:3: error: aes-cbc takes a 128..256-bit key, got 16 bits; give 16..32 bytes (0x and 32..64 hex digits)" "$TMP/err" &&
	grep -q 'bad.conf:2: add' "$TMP/out" && grep -q 'spdflush' "$TMP/out"
ok $? "-n: a bad key is an error at its line, exit 1, the rest still read (lint)"

printf 'flush;\nspdadd 10.0.0.1 10.0.0.2 any -P sideways none;\n' >"$TMP/stdin.conf"
run "$SETKEY" -n -c <"$TMP/stdin.conf"
[ "$(cat $TMP/rc)" = 1 ] && grep -q "^stdin:2: error: bad policy \"sideways none\": Invalid direction" "$TMP/err"
ok $? "-c reads stdin and names it in errors"

run "$SETKEY" -n -f - <"$TMP/stdin.conf"
grep -q "^stdin:2:" "$TMP/err"
ok $? "-f - reads stdin"

run "$SETKEY" -f "$TMP/does-not-exist"
[ "$(cat $TMP/rc)" = 1 ] && grep -q 'No such file or directory' "$TMP/err"
ok $? "a missing file is reported"

printf 'add 10.0.0.1 10.0.0.2 esp 300 -E null;\nexit\nflush;\n' >"$TMP/exit.conf"
run "$SETKEY" -n -f "$TMP/exit.conf"
[ "$(cat $TMP/rc)" = 0 ] && ! grep -q flush "$TMP/out"
ok $? "exit stops reading"

run "$SETKEY" "$HERE/data/two.bin"
cmp -s "$TMP/out" "$HERE/data/two.expected"
ok $? "file arguments: saved messages printed like -D / -DP"

run "$SETKEY" -v "$HERE/data/two.bin"
grep -q 'sadb_x_policy{ type=2 dir=2 id=9 priority=2147483648 }' "$TMP/out"
ok $? "-v file: every field"

head -c 20 "$HERE/data/two.bin" >"$TMP/short.bin"
run "$SETKEY" "$TMP/short.bin"
[ "$(cat $TMP/rc)" = 1 ] && grep -q 'bad message length at offset 0' "$TMP/err"
ok $? "a truncated message file is refused"

# Without a PF_KEY family (the host test machine) -D must say what to do.
if python3 -c 'import socket,sys; socket.socket(15, socket.SOCK_RAW, 2)' 2>/dev/null; then
	echo "ok 14 # SKIP PF_KEY present on this host"
	n=$((n + 1))
else
	run "$SETKEY" -D
	[ "$(cat $TMP/rc)" = 1 ] && grep -q 'cannot open a PF_KEY socket' "$TMP/err"
	ok $? "-D without PF_KEY: a clear error"
fi

[ $fails = 0 ]
