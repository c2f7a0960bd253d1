#!/bin/bash
# Build the debug kernel for `make check-debug` (KASAN, UBSAN, lockdep,
# PROVE_RCU, kmemleak, debug objects...) from Debian's linux-source-6.1, and
# print the root it is installed in (boot/vmlinuz-<kver>, lib/modules/<kver>)
# as selftests/vm/fetch-kernel.sh does for the stock kernel.
#
#   build-debug-kernel.sh [--kdir] [CACHE]     (default /var/cache/kameipsec)
#
# --kdir: only print where the built tree (the module's KDIR) is or will be.
#
# Cached under CACHE/debug-<source version>-<fragment hash>/: src/ is the
# configured, built tree (the module's KDIR), root/ the installed kernel.
# A new Debian source or a changed selftests/vm/debug.config builds anew;
# about 25 minutes on 2 cores. Build messages go to stderr.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
FRAG=$HERE/debug.config
kdir_only=0
[ "${1:-}" = --kdir ] && { kdir_only=1; shift; }
cache=${1:-/var/cache/kameipsec}

if [ $kdir_only = 1 ]; then
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo none)
	echo "$cache/debug-$ver-$(sha256sum "$FRAG" | cut -c1-12)/src"
	exit 0
fi

need=()
for p in linux-source-6.1 flex bison libelf-dev libssl-dev bc xz-utils kmod; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "debug-kernel: installing ${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q --no-install-recommends "${need[@]}" >&2
fi

ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
hash=$(sha256sum "$FRAG" | cut -c1-12)
dir=$cache/debug-$ver-$hash
src=$dir/src root=$dir/root

if [ ! -e "$root/.complete" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "debug-kernel: building linux-source $ver with $FRAG into $dir (about 25 min)" >&2
	tar -xaf /usr/src/linux-source-6.1.tar.xz -C "$dir"
	mv "$dir"/linux-source-6.1 "$src"
	(
		cd "$src"
		make -s defconfig
		make -s kvm_guest.config
		scripts/kconfig/merge_config.sh -m .config "$FRAG" >/dev/null
		make -s olddefconfig
		# Every line of the fragment must have survived: a dependency
		# missing would silently drop a check.
		bad=0
		while IFS= read -r l; do
			case $l in
			CONFIG_*=*) grep -qxF "$l" .config || { echo "debug-kernel: not set: $l (got: $(grep "^${l%%=*}=" .config || echo unset))"; bad=1; } ;;
			"# CONFIG_"*" is not set") o=${l#\# }; o=${o%% *}
				grep -q "^$o=" .config && { echo "debug-kernel: set but should not be: $o"; bad=1; } ;;
			esac
		done <"$FRAG"
		[ $bad -eq 0 ]
		make -j"$(nproc)" bzImage modules
		kver=$(make -s kernelrelease)
		make -s INSTALL_MOD_PATH="$root" modules_install
		mkdir -p "$root/boot"
		cp arch/x86/boot/bzImage "$root/boot/vmlinuz-$kver"
		cp .config "$root/boot/config-$kver"
		# The module's KDIR needs the tree, not its 2 GB of objects.
		rm -f "$root/lib/modules/$kver/build" "$root/lib/modules/$kver/source"
	) >&2
	touch "$root/.complete"
fi
echo "$root"
