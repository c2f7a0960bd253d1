#!/bin/bash
# Fetch Debian's stock kernel image matching the installed linux-headers-amd64
# and unpack it under $1/<abi>/ (cached). Prints the unpacked root directory.
set -euo pipefail
cache=$1

hdr_pkg=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | grep -o 'linux-headers-[0-9.-]*-amd64 ([^)]*)')
abi=$(sed -n 's/^linux-headers-\([0-9.-]*\)-amd64.*/\1/p' <<<"$hdr_pkg")
ver=$(sed -n 's/.*(= \(.*\))/\1/p' <<<"$hdr_pkg")
kver=$abi-amd64
root=$cache/$kver/root

if [ ! -e "$root/.complete" ]; then
	rm -rf "$cache/$kver"
	mkdir -p "$cache/$kver"
	(cd "$cache/$kver" && apt-get download -q "linux-image-$kver-unsigned=$ver" >&2)
	dpkg-deb -x "$cache/$kver"/linux-image-*.deb "$root"
	rm -f "$cache/$kver"/linux-image-*.deb
	depmod -b "$root" "$kver"
	touch "$root/.complete"
fi
echo "$root"
