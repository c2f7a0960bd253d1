#!/bin/bash
# make dkms / make dkms-remove: kameipsec through DKMS without the Debian
# package. install copies the module's source to /usr/src/kameipsec-<ver>,
# adds it to DKMS, builds and installs it for every kernel whose headers are
# installed (DKMS rebuilds it for kernels installed later: AUTOINSTALL),
# and installs the modprobe.d and modules-load.d files. remove undoes it.
#   scripts/dkms.sh install [KERNEL...]    (default: every kernel)
#   scripts/dkms.sh remove
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
ver=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version)
etc=(modprobe.d/kameipsec.conf modules-load.d/kameipsec.conf)

remove() {
	if [ -n "$(dkms status -m kameipsec -v "$ver")" ]; then
		dkms remove -m kameipsec -v "$ver" --all
	fi
	rm -rf "/usr/src/kameipsec-$ver"
	for f in "${etc[@]}"; do rm -f "/etc/$f"; done
}

case ${1:-} in
install)
	remove
	"$TOP/scripts/dkms-source.sh" "/usr/src/kameipsec-$ver" "$ver"
	dkms add -m kameipsec -v "$ver"
	shift
	[ $# -gt 0 ] || set -- $(ls /lib/modules)
	n=0
	for k; do
		if [ ! -e "/lib/modules/$k/build/include" ]; then
			echo "dkms: $k: no headers (apt-get install linux-headers-$k)"
			continue
		fi
		dkms install -m kameipsec -v "$ver" -k "$k"
		n=$((n + 1))
	done
	for f in "${etc[@]}"; do install -D -m 644 "$TOP/dist/$f" "/etc/$f"; done
	dkms status -m kameipsec
	[ "$n" -gt 0 ] || { echo "dkms: no kernel with headers" >&2; exit 1; }
	;;
remove)
	remove
	;;
*)
	echo "usage: $0 install|remove" >&2
	exit 2
	;;
esac
