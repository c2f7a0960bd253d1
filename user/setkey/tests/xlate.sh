#!/bin/bash
# setkey -X xfrm: the seed's scripts (selftests/setkey/cases) and
# tests/xfrm/NAME.conf against golden ip xfrm commands in
# tests/xfrm/NAME.xfrm. setkey --from-xfrm: real ip xfrm output in
# tests/xfrm/NAME.ipxfrm (recorded in the VM from the commands in its
# first lines) against NAME.setkey, and the round trip: that script
# through -X xfrm again against NAME.roundtrip. setkey -X swanctl: the
# seed's scripts against NAME.swanctl.
# usage: tests/xlate.sh path/to/setkey [--update]      (prints TAP)
. "$(dirname "$0")/golden_lib.sh"

# name directory mode extension
list() {
	local f
	for f in "$CASES"/*.conf "$HERE"/xfrm/*.conf; do
		[ -e "$f" ] && echo "$(basename "$f" .conf) $(dirname "$f") xfrm xfrm"
	done
	for f in "$CASES"/*.conf; do
		echo "$(basename "$f" .conf) $(dirname "$f") swanctl swanctl"
	done
	for f in "$HERE"/xfrm/*.ipxfrm; do
		[ -e "$f" ] || continue
		echo "$(basename "$f" .ipxfrm) $HERE/xfrm from setkey"
		echo "$(basename "$f" .ipxfrm) $HERE/xfrm roundtrip roundtrip"
	done
}
total=$(list | wc -l)
echo "TAP version 13"
echo "1..$total"
n=0 fails=0
while read -r name dir mode ext; do
	n=$((n + 1))
	exp="$HERE/xfrm/$name.$ext"
	case $mode in
	from)	(cd "$dir" && "$SETKEY" --from-xfrm <"$name.ipxfrm" >"$TMP/out" 2>"$TMP/err") ;;
	roundtrip) (cd "$dir" && "$SETKEY" -X xfrm -f "$name.setkey" >"$TMP/out" 2>"$TMP/err") ;;
	*)	(cd "$dir" && "$SETKEY" -X "$mode" -f "$name.conf" >"$TMP/out" 2>"$TMP/err") ;;
	esac
	rc=$?
	[ -n "$UPDATE" ] && cp "$TMP/out" "$exp"
	if [ $rc = 0 ] && [ ! -s "$TMP/err" ] && cmp -s "$TMP/out" "$exp"; then
		echo "ok $n $mode $name"
	else
		echo "not ok $n $mode $name (exit $rc)"
		sed 's/^/# /' "$TMP/err"
		diff -u "$exp" "$TMP/out" | sed 's/^/# /'
		fails=$((fails + 1))
	fi
done < <(list)
[ $fails = 0 ]
