#!/bin/bash
# Issue #17: kameipsec installed as a distribution installs it. Inside the
# VM (the host's root under a tmpfs overlay: what dpkg does here is gone at
# power-off), run with --noload:
#   selftests/vm/run.sh --noload -- selftests/package_install.sh
# installs the .debs that make deb left in build/deb/, lets DKMS build the
# module for the running stock kernel, then checks that modprobe and the
# first PF_KEY socket load that module, that the seed demo passes with the
# packaged setkey, that af_key's modprobe rule is in place, and that purging
# removes everything. make check-packages builds the .debs and runs this.
set -uo pipefail
cd "$(dirname "$0")/.."
. selftests/lib.sh
DEB=$PWD/build/deb
kver=$(uname -r)
pkgs="kameipsec-dkms kameipsec-utils"

ktap_plan 16
debs=$(ls "$DEB"/kameipsec-dkms_*_all.deb "$DEB"/kameipsec-utils_*_amd64.deb 2>/dev/null)
if [ "$(wc -w <<<"$debs")" -ne 2 ] || ! command -v dkms >/dev/null ||
   kame_loaded || afkey_loaded; then
	ktap_note "needs build/deb/ (make deb), dkms, neither PF_KEY module loaded"
	for i in $(seq 16); do ktap_skip "not set up"; done
	ktap_finish
	exit
fi
# What a real system has and the VM lacks: udev's /dev/fd (dkms uses
# <(...)), and in /lib/modules/$kver (the unpacked stock kernel) the build
# link that the linux-headers package adds.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
[ -e "/lib/modules/$kver/build" ] ||
	ln -s "/usr/src/linux-headers-$kver" "/lib/modules/$kver/build"

t0=$(date +%s)
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive dpkg -i $debs >/tmp/dpkg-i.log 2>&1
rc=$?
ktap_note "dpkg -i with the DKMS build for $kver: $(($(date +%s) - t0)) s"
check "dpkg -i: both packages install (exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || tail -n 30 /tmp/dpkg-i.log | sed 's/^/# /'
files=$(dpkg -L $pkgs 2>/dev/null)

check "dkms status: kameipsec installed for $kver" \
	grep -q "kameipsec/.*$kver.*: installed" <<<"$(dkms status -m kameipsec)"
ko=$(modinfo -k "$kver" -n kameipsec 2>/dev/null)
check "the module is DKMS's: $ko" \
	[ "$ko" = "/lib/modules/$kver/updates/dkms/kameipsec.ko" ]
check "the module carries PF_KEY's alias net-pf-15" \
	grep -qx net-pf-15 <<<"$(modinfo -F alias "$ko" 2>/dev/null)"
check "modprobe kameipsec loads it" eval 'modprobe kameipsec && kame_loaded'
out=$(modprobe -n -v af_key 2>&1)
ktap_note "modprobe -n -v af_key: $(tr '\n' ' ' <<<"$out")"
check "modprobe -n -v af_key: the rule loads kameipsec, not af_key" \
	eval 'grep -q "^install /sbin/modprobe --ignore-install kameipsec" <<<"$out" &&
	      ! grep -q af_key.ko <<<"$out"'
check "/etc/modules-load.d/kameipsec.conf loads kameipsec at boot" \
	grep -qx kameipsec /etc/modules-load.d/kameipsec.conf

rmmod kameipsec
python3 -c 'import socket; socket.socket(socket.AF_KEY, socket.SOCK_RAW, 2)'
check "after rmmod, the first PF_KEY socket loads kameipsec (exit $?)" kame_loaded
check "... and not af_key" eval '! afkey_loaded'

SETKEY=/usr/sbin/setkey selftests/demo.sh >/tmp/demo.log 2>&1
rc=$?
check "the seed demo passes with the packaged /usr/sbin/setkey (exit $rc)" \
	[ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || tail -n 30 /tmp/demo.log | sed 's/^/# /'
check "setkey -f /etc/ipsec-tools.conf: the shipped conffile loads" \
	/usr/sbin/setkey -f /etc/ipsec-tools.conf
printf '* a-test-key\n' >/etc/racoon/psk.txt && chmod 600 /etc/racoon/psk.txt
check "racoon-lite -t: the shipped /etc/racoon/racoon.conf is valid" \
	eval '/usr/sbin/racoon-lite -t >/dev/null'
rm -f /etc/racoon/psk.txt
check "kameipsec-setkey.service is enabled, racoon-lite.service is not" \
	eval '[ -L /etc/systemd/system/multi-user.target.wants/kameipsec-setkey.service ] &&
	      [ ! -e /etc/systemd/system/multi-user.target.wants/racoon-lite.service ]'

rmmod kameipsec
DEBIAN_FRONTEND=noninteractive dpkg --purge $pkgs >/tmp/dpkg-purge.log 2>&1
rc=$?
check "dpkg --purge: both packages (exit $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || tail -n 30 /tmp/dpkg-purge.log | sed 's/^/# /'
left=$(while read -r f; do [ -f "$f" ] && echo "$f"; done <<<"$files")
check "purge removed every file the packages installed" [ -z "$left" ]
[ -z "$left" ] || sed 's/^/# left: /' <<<"$left" | head -n 20
left=$(ls -d /lib/modules/"$kver"/updates/dkms/kameipsec.ko /var/lib/dkms/kameipsec \
	/usr/src/kameipsec-* /etc/modprobe.d/kameipsec.conf /etc/ipsec-tools.conf \
	/etc/racoon /etc/systemd/system/*/kameipsec-setkey.service 2>/dev/null)
check "... and what DKMS and the maintainer scripts made" [ -z "$left" ]
[ -z "$left" ] || sed 's/^/# left: /' <<<"$left"
ktap_finish
