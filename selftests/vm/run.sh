#!/bin/bash
# Boot Debian's stock kernel under QEMU (TCG) and run a command inside it.
#
#   selftests/vm/run.sh [--noload] -- CMD [ARGS...]
#
# The guest sees the host's root read-only (tmpfs overlay on top) and this
# tree at the same path; kameipsec.ko is loaded before CMD (unless --noload)
# and unloaded after it. The run fails when CMD fails, when the module does
# not unload, or when the guest's dmesg shows a kernel warning, oops or
# similar, even if CMD passed. A soft lockup or RCU stall panics the guest
# at once (the trace is on the console) rather than waiting for the timeout.
# Env: variables named UNLOAD_*, STORM_*, ENGINE_*... reach the command in
# the guest (the list: selftests/vm/vm_env.sh). VM_TIMEOUT (s, default
# 1200), VM_MEM, VM_LOGLEVEL (console, default 4),
# KFLAVOUR: which kernel boots: empty/stock (Debian's -amd64), rt or cloud
# (Debian's -rt-amd64 / -cloud-amd64), debug (selftests/vm/debug.config built
# by build-debug-kernel.sh: KASAN, lockdep, kmemleak...). On the debug kernel
# a kmemleak report that names kameipsec or an unloaded module's code (the
# scan runs after rmmod) fails the run too.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$SRC/build
noload=0
while [ $# -gt 0 ]; do
	case $1 in
	--noload) noload=1; shift ;;
	--) shift; break ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || set -- make -C selftests run_tests

# One VM at a time on this machine (2 cores under TCG): other checkouts'
# runs wait here rather than slow each other into timeouts. shards.sh takes
# it once for the guests it runs side by side (KAME_VM_LOCK_HELD).
if [ -z "${KAME_VM_LOCK_HELD:-}" ]; then
	exec 9>/tmp/kameipsec-vm.lock
	flock 9
fi

flavour=${KFLAVOUR:-stock}
append=
case $flavour in
debug)
	KROOT=$("$SRC/selftests/vm/build-debug-kernel.sh")
	# 5-level paging under TCG -cpu max trips KASAN in early boot.
	append="no5lvl"
	VM_MEM=${VM_MEM:-4G}
	;;
*) KROOT=$("$SRC/selftests/vm/fetch-kernel.sh" "$BUILD/kernel" "$flavour") ;;
esac
KVER=$(ls "$KROOT/lib/modules")
VM=$BUILD/vm
mkdir -p "$VM"

# initramfs: static busybox, /init, and the modules needed to reach the root.
ird=$(mktemp -d)
out=$(mktemp -d "$VM/out.XXXXXX")
cleanup() { rm -rf "$ird"; [ -n "${qpid:-}" ] && kill "$qpid" 2>/dev/null || true; }
trap cleanup EXIT
mkdir -p "$ird"/{bin,proc,sys,dev,modules}
: >"$ird/modules/order"	# empty when all of them are built in
cp /bin/busybox "$ird/bin/busybox"
cp "$SRC/selftests/vm/init" "$ird/init"
for m in $(for mod in virtio_pci 9pnet_virtio 9p overlay; do
		modprobe -d "$KROOT" -S "$KVER" --show-depends "$mod"; done |
		awk '$1 == "insmod" { print $2 }'); do
	[ -e "$ird/modules/$(basename "$m")" ] && continue
	cp "$m" "$ird/modules/"
	basename "$m" >>"$ird/modules/order"
done
printf 'KROOT=%q\nSRC=%q\n' "$KROOT" "$SRC" >"$ird/vm.conf"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.gz"

. "$SRC/selftests/vm/vm_env.sh"
vm_env_write "$SRC" "$KVER" "$noload" "$@" >"$out/vm.env"

echo "vm: booting $KVER: $*"
timeout --foreground -k 10 "${VM_TIMEOUT:-1200}" \
	qemu-system-x86_64 -cpu max -smp 2 -m "${VM_MEM:-2G}" \
	-display none -monitor none -no-reboot \
	-serial "file:$out/console.log" \
	-kernel "$KROOT/boot/vmlinuz-$KVER" -initrd "$out/initramfs.gz" \
	-append "console=ttyS0 panic=-1 quiet loglevel=${VM_LOGLEVEL:-4} hung_task_timeout_secs=60 softlockup_panic=1 sysctl.kernel.panic_on_rcu_stall=1 cryptomgr.notests=1 $append" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$SRC,mount_tag=src,security_model=none,multidevs=remap" \
	-virtfs "local,path=$out,mount_tag=vmout,security_model=none,multidevs=remap" &
qpid=$!
tail -n +1 -F --pid=$qpid "$out/console.log" 2>/dev/null || true
wait $qpid && qrc=0 || qrc=$?
qpid=

cp -f "$out/dmesg.txt" "$VM/last-dmesg.txt" 2>/dev/null || true
cp -f "$out/kmemleak.txt" "$VM/last-kmemleak.txt" 2>/dev/null || rm -f "$VM/last-kmemleak.txt"
if [ ! -s "$out/status" ]; then
	echo "vm: FAIL: the guest did not finish (qemu exit $qrc; timeout or crash)"
	exit 1
fi
rc=$(cat "$out/status")
# The modules tests loaded on Debian's kernels, gathered over runs: a debug
# kernel built without one of them fails its tests in ways that look like
# ours (a missing nft_objref did, 2026-12-03), so say it first.
seen=$VM/modules-seen.txt
if [ "$flavour" = stock ] && [ -s "$out/modules.txt" ]; then
	# (flock: guests side by side; sort -o may name one of its inputs)
	flock "$VM/.modules-seen.lock" sh -c 'touch "$2"; sort -u "$1" "$2" -o "$2"' - "$out/modules.txt" "$seen"
elif [ "$flavour" = debug ] && [ -s "$seen" ]; then
	"$SRC/selftests/vm/debug-missing.sh" "$seen" "$KROOT/lib/modules/$KVER" |
		sed 's/^/vm: the debug kernel lacks what tests loaded on Debian'"'"'s: /'
fi
# Every report fails the run but known upstream ones with no frame of ours
# (selftests/vm/known-splats, each with its reason).
if ! splats=$("$SRC/selftests/vm/splats.sh" "$out/dmesg.txt"); then
	echo "vm: FAIL: kernel problems in dmesg:"
	grep -v '^known: ' <<<"$splats" | head -n 80
	rc=${rc/#0/102}
fi
grep '^known: ' <<<"$splats" | sed 's/^known: /vm: known upstream report, not ours (selftests\/vm\/known-splats): /' || true
if [ -s "$out/kmemleak.txt" ]; then
	if ours=$("$SRC/selftests/vm/kmemleak-ours.sh" "$out/kmemleak.txt"); then
		echo "vm: FAIL: kmemleak: memory kameipsec allocated and never freed:"
		echo "$ours" | head -n 80
		rc=${rc/#0/103}
	else
		echo "vm: kmemleak: $(grep -c '^unreferenced object' "$out/kmemleak.txt") report(s), none from kameipsec (build/vm/last-kmemleak.txt)"
	fi
fi
rm -rf "$out"
echo "vm: exit status $rc"
exit "$rc"
