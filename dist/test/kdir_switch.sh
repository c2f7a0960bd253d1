#!/bin/bash
# One checkout, two kernels: "make check KFLAVOUR=rt" and then "make check"
# must build the second module for the second kernel. Kbuild alone kept the
# first kernel's objects (same command lines, older headers) and the VM's
# insmod refused the module. Here: a one-file module built by the top-level
# Makefile's module and module-debug targets against the installed headers
# (A) and against a copy of them with another release and the same old
# timestamps (B); modinfo says which kernel each .ko is for.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
. "$TOP/selftests/lib.sh"
unset KDIR KFLAVOUR MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

ktap_plan 5
abi=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
      sed -n 's/.*linux-headers-\([0-9.-]*\)-amd64.*/\1/p')
A=/usr/src/linux-headers-$abi-amd64
if [ -z "$abi" ] || ! [ -e "$A/include/generated/utsrelease.h" ]; then
	for i in 1 2 3 4 5; do ktap_skip "needs linux-headers-amd64"; done
	ktap_finish
	exit
fi

state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
relA=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$A/include/generated/utsrelease.h")
relB=$relA-kdirtest

# B: the headers with another release; timestamps as old as A's, as a
# second headers package's would be.
B=$state/kdir-b
cp -a "$A" "$B"
for l in scripts tools; do
	[ -L "$A/$l" ] && ln -sfn "$(readlink -f "$A/$l")" "$B/$l"
done
u=$B/include/generated/utsrelease.h
sed -i "s/\"$relA\"/\"$relB\"/" "$u"
touch -r "$A/include/generated/utsrelease.h" "$u"

src=$state/src
mkdir -p "$src/kmod"
cp "$TOP/Makefile" "$src/"
echo 'obj-m := kameipsec.o' >"$src/Kbuild"
echo 'kameipsec-y := kmod/main.o' >>"$src/Kbuild"
cat >"$src/kmod/main.c" <<'C'
#include <linux/module.h>
MODULE_LICENSE("GPL");
C

# build TARGET KDIR: sets $out
build() {
	out=$(make -C "$src" --no-print-directory "$1" KDIR="$2" 2>&1) ||
		{ echo "$out" | tail -n 15 | sed 's/^/# /'; return 1; }
}
vermagic() { modinfo -F vermagic "$1" 2>/dev/null | cut -d' ' -f1; }

build module "$A"
build module "$B"
got=$(vermagic "$src/kameipsec.ko")
check "module built for A, then for B: the .ko is B's ($got)" \
	[ "$got" = "$relB" ]

build module "$A"
got=$(vermagic "$src/kameipsec.ko")
check "... and back to A: the .ko is A's ($got)" [ "$got" = "$relA" ]

before=$(stat -c %Y.%N "$src/kmod/main.o" 2>/dev/null)
sleep 1
build module "$A"
after=$(stat -c %Y.%N "$src/kmod/main.o" 2>/dev/null)
check "A again: nothing rebuilt" [ -n "$before" -a "$before" = "$after" ]

build module-debug "$A"
build module-debug "$B"
got=$(vermagic "$src/build/module-debug/kameipsec.ko")
check "module-debug built for A, then for B: the .ko is B's ($got)" \
	[ "$got" = "$relB" ]

check "a switch says so" grep -q "built for another kernel" <<<"$out"
ktap_finish
