#!/bin/bash
# setkey -n as a linter: every tests/lint/NAME.conf (one finding each) and
# the seed's scripts in selftests/setkey/cases against golden stderr in
# NAME.expected; exit 1 exactly when the golden output has an error.
# usage: tests/lint.sh path/to/setkey [--update]      (prints TAP)
. "$(dirname "$0")/golden_lib.sh"
# golden output must not depend on the IKE daemons of the test machine
export SETKEY_LINT_IKE=no

set -- "$HERE"/lint/*.conf "$CASES"/*.conf
echo "TAP version 13"
echo "1..$#"
n=0 fails=0
for conf; do
	n=$((n + 1))
	dir=$(dirname "$conf") name=$(basename "$conf" .conf)
	if [ "$dir" = "$CASES" ]; then
		exp="$HERE/lint/seed/$name.expected"
	else
		exp="$HERE/lint/$name.expected"
	fi
	(cd "$dir" && "$SETKEY" -n -f "$name.conf" 2>"$TMP/err" >/dev/null)
	rc=$?
	if [ -n "$UPDATE" ]; then
		mkdir -p "$(dirname "$exp")"
		cp "$TMP/err" "$exp"
	fi
	want=0
	grep -q ': error: ' "$exp" 2>/dev/null && want=1
	if cmp -s "$TMP/err" "$exp" && [ $rc = $want ]; then
		echo "ok $n $name"
	else
		echo "not ok $n $name (exit $rc, want $want)"
		diff -u "$exp" "$TMP/err" | sed 's/^/# /'
		fails=$((fails + 1))
	fi
done
[ $fails = 0 ]
