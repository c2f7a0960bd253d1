#!/bin/bash
# make deb: kameipsec-dkms and kameipsec-utils with Debian's own tools
# (dpkg-buildpackage, debhelper, dh_dkms), then lintian on the result.
# Builds in a copy of the tree under build/deb/ (dpkg-buildpackage writes
# its output next to the source directory), so build/deb/ ends up with the
# .debs, the native source package and lintian.txt. Exits non-zero when
# the build fails or lintian reports an error or a warning.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/deb
ver=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version)
src=$OUT/kameipsec-$ver

rm -rf "$OUT"
mkdir -p "$src"
# What git tracks (and new files not yet ignored); else all but build/.
if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$TOP" && git ls-files -z -co --exclude-standard |
		xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar -cf - --null -T -) | tar -xf - -C "$src"
else
	tar -C "$TOP" --exclude=./build -cf - . | tar -xf - -C "$src"
fi

(cd "$src" && dpkg-buildpackage -us -uc -j"$(nproc)") >"$OUT/build.log" 2>&1 || {
	tail -n 40 "$OUT/build.log"
	echo "deb: dpkg-buildpackage failed (log: $OUT/build.log)"
	exit 1
}
rm -rf "$src"
ls -l "$OUT"/*.deb
changes=$(ls "$OUT"/kameipsec_"$ver"_*.changes)
lintian --fail-on error,warning --info "$changes" | tee "$OUT/lintian.txt"
echo "deb: lintian: $(grep -c '^[EWI]:' "$OUT/lintian.txt" || true) tags (errors and warnings fail the build)"
