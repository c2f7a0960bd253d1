#!/bin/bash
# build-9p-modules.sh ROOT KVER: Debian's -cloud-amd64 kernel has no 9p, and
# the VM bed mounts the host's root over virtio-9p. Build 9pnet,
# 9pnet_virtio and 9p from the same Debian source (linux-source-6.1) as
# external modules against the flavour's headers and install them in
# ROOT/lib/modules/KVER/extra/. The suite itself does not use 9p.
set -euo pipefail
root=$1 kver=$2
kdir=/usr/src/linux-headers-$kver
[ -d "$kdir" ] || { echo "build-9p-modules: no $kdir (run: KFLAVOUR=cloud scripts/deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xaf /usr/src/linux-source-6.1.tar.xz -C "$tmp" linux-source-6.1/net/9p linux-source-6.1/fs/9p
src=$tmp/linux-source-6.1
make -s -C "$kdir" M="$src/net/9p" CONFIG_NET_9P=m CONFIG_NET_9P_VIRTIO=m modules
make -s -C "$kdir" M="$src/fs/9p" KBUILD_EXTRA_SYMBOLS="$src/net/9p/Module.symvers" \
	CONFIG_9P_FS=m modules
mkdir -p "$root/lib/modules/$kver/extra"
cp "$src"/net/9p/9pnet.ko "$src"/net/9p/9pnet_virtio.ko "$src"/fs/9p/9p.ko \
	"$root/lib/modules/$kver/extra/"
