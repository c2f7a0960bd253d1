#!/bin/bash
# Copy the module's source, as DKMS builds it, to DEST (make dkms:
# /usr/src/kameipsec-<version>; the kameipsec-dkms package: its staging
# tree). Only what kbuild reads: Kbuild and kmod/ without the host tests.
#   scripts/dkms-source.sh DEST [VERSION]    (VERSION: debian/changelog's)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
dest=$1
ver=${2:-$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version)}
rm -rf "$dest"
mkdir -p "$dest"
(cd "$TOP" && find Kbuild kmod \( -name test -prune \) -o -type f \
	\( -name Kbuild -o -name Kbuild.objs -o -name '*.[ch]' \) -print |
	tar -cf - --no-recursion --owner=0 --group=0 -T -) | tar -xf - -C "$dest"
sed "s/#MODULE_VERSION#/$ver/" "$TOP/dkms.conf" >"$dest/dkms.conf"
