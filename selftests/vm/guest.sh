#!/bin/sh
# Runs inside the VM, as PID 1 on the host's root (read-only, tmpfs overlay).
# Loads the crypto drivers a real boot would load and kameipsec.ko, runs the
# command the host asked for, unloads the module, and brings back the exit
# status and dmesg through /mnt/vmout. Always powers off.
OUT=/mnt/vmout
. "$OUT/vm.env"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb SRC KVER
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
# The source/build tree, at the same path as on the host (it may live
# under /tmp, which the line above just hid).
mkdir -p "$SRC" && mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,msize=262144 src "$SRC"
mkdir -p /dev/pts /dev/shm /run/netns && mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
ip link set lo up
hostname kamevm

finish() {
	dmesg >"$OUT/dmesg.txt"
	echo "$1" >"$OUT/status"
	sync
	echo o >/proc/sysrq-trigger
	while :; do :; done	# until the power goes (9p is gone: no execs)
}

# The CPU's SIMD crypto drivers (asynchronous): what a real boot loads. Then
# the other ciphers and templates PF_KEY REGISTER probes for: loaded here in
# one modprobe, since each on-demand load under TCG costs about a second.
modprobe -a $VM_CRYPTO $VM_CRYPTO_MORE 2>>"$OUT/modprobe.log"

# Debug kernel: kmemleak scans only when asked (the suite's objects in
# flight are not leaks), and what the boot left behind is set aside, so the
# scan after the suite shows only what the suite leaked.
KML=/sys/kernel/debug/kmemleak
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ -w $KML ]; then
	echo scan=off >$KML
	echo scan >$KML
	echo clear >$KML
fi

cd "$SRC"
if [ "${VM_NOLOAD:-0}" != 1 ]; then
	insmod "$SRC/kameipsec.ko" || finish 100
fi

sh -c "$VM_CMD" </dev/null 2>&1 | tee "$OUT/output.log"
rc=$(cat /tmp/.vm_rc 2>/dev/null || echo 1)
# What the command made the kernel load: run.sh checks that the debug
# kernel has all of it built in.
cut -d' ' -f1 /proc/modules >"$OUT/modules.txt"
# tee hides the command's status: re-run would be wrong, so the command
# line is wrapped by run.sh to leave its status in /tmp/.vm_rc.

if [ "${VM_NOLOAD:-0}" != 1 ] && grep -q '^kameipsec ' /proc/modules; then
	rmmod kameipsec || { echo "vm: rmmod kameipsec failed"; rc=101; }
fi
if [ -w $KML ]; then
	# Two scans: an object is reported once it stayed unreferenced
	# through a whole scan (kmemleak's own advice against false hits).
	echo scan >$KML && sleep 6 && echo scan >$KML
	cat $KML >"$OUT/kmemleak.txt"
fi
finish "$rc"
