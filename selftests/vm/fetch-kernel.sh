#!/bin/bash
# Fetch Debian's stock kernel image matching the installed linux-headers-amd64
# and unpack it under $1/<kernel release>/ (cached). Prints the unpacked root.
#
#   fetch-kernel.sh CACHE [FLAVOUR]
#
# FLAVOUR: empty or "stock" for -amd64, "rt" for -rt-amd64 (PREEMPT_RT),
# "cloud" for -cloud-amd64: the same ABI, Debian's other stock builds.
set -euo pipefail
cache=$1
flavour=${2:-stock}

hdr_pkg=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 | grep -o 'linux-headers-[0-9.-]*-amd64 ([^)]*)')
abi=$(sed -n 's/^linux-headers-\([0-9.-]*\)-amd64.*/\1/p' <<<"$hdr_pkg")
ver=$(sed -n 's/.*(= \(.*\))/\1/p' <<<"$hdr_pkg")
case $flavour in
stock) kver=$abi-amd64 ;;
rt | cloud) kver=$abi-$flavour-amd64 ;;
*) echo "fetch-kernel: unknown flavour '$flavour' (stock, rt, cloud)" >&2; exit 2 ;;
esac
root=$cache/$kver/root

if [ ! -e "$root/.complete" ]; then
	rm -rf "${cache:?}/$kver"
	mkdir -p "$cache/$kver"
	(cd "$cache/$kver" && apt-get download -q "linux-image-$kver-unsigned=$ver" >&2)
	dpkg-deb -x "$cache/$kver"/linux-image-*.deb "$root"
	rm -f "$cache/$kver"/linux-image-*.deb
	[ "$flavour" = cloud ] && "$(dirname "$0")/build-9p-modules.sh" "$root" "$kver" >&2
	depmod -b "$root" "$kver"
	touch "$root/.complete"
fi
echo "$root"
