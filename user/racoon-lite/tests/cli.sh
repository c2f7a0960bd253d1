#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# racoon-lite's command line: -V, -t with good and bad files, the psk
# permission check, bad options. TAP output; exits non-zero on failure.
bin=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fail=1
	fi
}

echo "TAP version 13"
echo "1..7"

out=$("$bin" -V)
[ "$out" = "racoon-lite 0.1" ]
ok $? "-V prints the version"

printf '10.0.0.2 spamspamspam\n' > "$tmp/psk.txt"
chmod 600 "$tmp/psk.txt"
sed "s|/etc/racoon/psk.txt|$tmp/psk.txt|" conf/seed.conf > "$tmp/racoon.conf"
out=$("$bin" -t -f "$tmp/racoon.conf" 2>&1)
rc=$?
[ $rc = 0 ] && [ "$out" = "racoon-lite: $tmp/racoon.conf and $tmp/psk.txt are valid" ]
ok $? "-t accepts the seed configuration"

printf 'remote anonymous {\n\texchange_mode base;\n}\n' > "$tmp/bad.conf"
out=$("$bin" -t -f "$tmp/bad.conf" 2>&1)
rc=$?
[ $rc = 1 ] && [ "$out" = "racoon-lite: $tmp/bad.conf:2: exchange_mode 'base' is not supported (only main and aggressive)" ]
ok $? "-t rejects an unsupported statement with file:line"

chmod 644 "$tmp/psk.txt"
out=$("$bin" -t -f "$tmp/racoon.conf" 2>&1)
rc=$?
[ $rc = 1 ] && [ "$out" = "racoon-lite: $tmp/psk.txt: the pre-shared key file has mode 0644 and is accessible by group or others; run 'chmod 600 $tmp/psk.txt'" ]
ok $? "a world-readable psk.txt is refused with the chmod hint"

chmod 600 "$tmp/psk.txt"
sed -i '/path pre_shared_key/d' "$tmp/racoon.conf"
out=$("$bin" -t -f "$tmp/racoon.conf" 2>&1)
rc=$?
[ $rc = 1 ] && [ "$out" = "racoon-lite: $tmp/racoon.conf: no 'path pre_shared_key' statement" ]
ok $? "a configuration without a key file is refused"

"$bin" -Q > /dev/null 2>&1
[ $? = 2 ]
ok $? "an unknown option exits 2"

out=$("$bin" -t -f "$tmp/missing.conf" 2>&1)
[ "$out" = "racoon-lite: $tmp/missing.conf: cannot open: No such file or directory" ]
ok $? "a missing configuration file is named"

exit $fail
