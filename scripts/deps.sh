#!/bin/bash
# Install what building and testing kameipsec needs on Debian 12 (as root).
# Idempotent: does nothing when everything is already installed.
#   scripts/deps.sh          make all, make check
#   scripts/deps.sh dkms     make dkms: DKMS and the stock kernel's headers
#   scripts/deps.sh deb      make deb: Debian's packaging tools, build-deps
set -euo pipefail
case ${1:-} in
dkms)	pkgs=(dkms gcc make linux-headers-amd64) ;;
deb)	pkgs=(dpkg-dev debhelper dh-dkms fakeroot lintian gcc make libc6-dev
	      libssl-dev) ;;
'')	pkgs=(
	gcc make libc6-dev pkg-config		# userland and module build
	linux-headers-amd64 kmod		# headers of the stock kernel, depmod
	linux-source-6.1 xz-utils		# kselftest.h / kselftest_harness.h
	clang					# libFuzzer (make fuzz)
	libssl-dev libnl-3-dev libnl-genl-3-dev	# racoon-lite crypto, ipsecstat
	zlib1g-dev				# storm_pkt: deflated IPComp payloads
	openssl					# test PKIs (racoon-lite tests/mkcerts.sh)
	qemu-system-x86 busybox-static cpio	# the VM test bed
	iproute2 iputils-ping nftables iperf3	# used inside the VM
	procps					# sysctl (in the VM too)
	python3 python3-scapy tshark
	strongswan-charon strongswan-swanctl	# IKEv1 interop peer for racoon-lite
	libstrongswan-standard-plugins		# its openssl plugin: ECDSA, ECP groups
	systemd					# systemd-analyze verify (dist/test)
) ;;
*)	echo "usage: $0 [dkms|deb]" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
install() {
	[ "$(id -u)" -eq 0 ] || { echo "deps: missing $*; run as root" >&2; exit 1; }
	echo "deps: installing $*"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "$@"
}
[ ${#missing[@]} -eq 0 ] || install "${missing[@]}"

# KFLAVOUR=rt|cloud: the headers of Debian's other stock builds, at the ABI
# linux-headers-amd64 (installed above) depends on.
case ${KFLAVOUR:-} in
rt | cloud)
	abi=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 |
		sed -n 's/.*linux-headers-\([0-9.-]*\)-amd64.*/\1/p')
	hdr=linux-headers-$abi-$KFLAVOUR-amd64
	dpkg-query -W -f='${Status}' "$hdr" 2>/dev/null | grep -q 'install ok installed' ||
		install "$hdr"
	;;
esac
