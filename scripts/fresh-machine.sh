#!/bin/bash
# README's two commands as the first ones on a fresh Debian 12: a minimal
# bookworm (debootstrap --variant=minbase, plus make, gcc and git, which a
# new machine has) in a chroot, a clone of this checkout's HEAD in it, then
# the commands given (default: make demo). What a long-lived machine has
# installed by then cannot hide a missing scripts/deps.sh entry here.
#
#   scripts/fresh-machine.sh [DIR] [-- COMMAND...]   (root; default DIR
#                                   /var/tmp/kameipsec-fresh, made anew)
#
# Needs Debian's archive (as apt-get does) and debootstrap (installed if
# missing). The VM runs inside the chroot as it would on the machine. The
# chroot's /proc, /sys and /dev are bind mounts, undone on exit.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
dir=/var/tmp/kameipsec-fresh
[ $# -gt 0 ] && [ "$1" != -- ] && { dir=$1; shift; }
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || set -- make demo
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: run as root" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
command -v debootstrap >/dev/null || apt-get install -y -q debootstrap
mounted=()
undo() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}" || true; done
}
trap undo EXIT
# A run killed before its undo leaves the bind mounts: never delete through them.
mounts_under() { awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r; }
for m in $(mounts_under); do umount "$m"; done
[ -z "$(mounts_under)" ] || { echo "fresh-machine: still mounted under $dir" >&2; exit 1; }
rm -rf --one-file-system "$dir"
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
debootstrap --variant=minbase bookworm "$dir" "${mirror:-http://deb.debian.org/debian}" >"$dir.debootstrap.log"
# The host's sources: the stock kernel's ABI comes from bookworm-security.
if [ -e /etc/apt/sources.list.d/debian.sources ]; then
	cp /etc/apt/sources.list.d/debian.sources "$dir/etc/apt/sources.list.d/"
	rm -f "$dir/etc/apt/sources.list"
fi
cp /etc/resolv.conf "$dir/etc/"
for m in proc sys dev dev/pts; do
	mount --bind "/$m" "$dir/$m"
	mounted+=("$dir/$m")
done
chroot "$dir" sh -c 'apt-get update -q && apt-get install -y -q make gcc git' >/dev/null
git clone -q "$SRC" "$dir/root/kameipsec"
echo "fresh-machine: $* in a fresh bookworm at $dir"
chroot "$dir" bash -c 'cd /root/kameipsec && "$@"' fresh "$@"
