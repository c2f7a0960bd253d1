#!/bin/bash
# Inside the VM (selftests/vm/run.sh -- selftests/setkey/bench.sh), with
# kameipsec.ko loaded: setkey -f of N "add" lines and of N "spdadd" lines
# into kameipsec, then the same files into Linux af_key, and setkey -D of
# N SAs. Prints both times and the ratio (target: kameipsec not slower).
# BENCH_N (default 100000).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
SETKEY=${SETKEY:-$SRC/user/setkey/setkey}
N=${BENCH_N:-100000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# N distinct SAs and N distinct policies (10.a.b.c addresses).
awk -v n="$N" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "add 10.%d.%d.%d 192.0.2.1 esp %d -m transport -E aes-cbc \"0123456789abcdef\" -A hmac-sha1 \"0123456789abcdefghij\";\n",
			int(i / 65536) % 256, int(i / 256) % 256, i % 256, i + 256
}' >"$TMP/sa.conf"
awk -v n="$N" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "spdadd 10.%d.%d.%d 192.0.2.1 any -P out ipsec esp/transport//require;\n",
			int(i / 65536) % 256, int(i / 256) % 256, i % 256
}' >"$TMP/sp.conf"

secs() {	# command... -> elapsed seconds (3 decimals) on stdout
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >"$TMP/out" 2>&1 || { sed 's/^/# /' "$TMP/out" | tail -5; return 1; }
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

run_set() {	# label
	local sa sp dump count
	"$SETKEY" -F >/dev/null 2>&1; "$SETKEY" -FP >/dev/null 2>&1
	sa=$(secs "$SETKEY" -f "$TMP/sa.conf") || return 1
	dump=$(secs "$SETKEY" -D) || return 1
	count=$(grep -c ' mode=' "$TMP/out")
	sp=$(secs "$SETKEY" -f "$TMP/sp.conf") || return 1
	"$SETKEY" -F >/dev/null 2>&1; "$SETKEY" -FP >/dev/null 2>&1
	echo "$1 $sa $sp $dump $count"
}

echo "# $N add lines, $N spdadd lines"
k=$(run_set kameipsec) || { echo "not ok 1 kameipsec run failed"; exit 1; }
echo "# kameipsec (name add spdadd dump-D count): $k"
# freeing 100,000 SAs may take the module a moment after the flush
for i in $(seq 60); do
	rmmod kameipsec 2>/dev/null && break
	sleep 1
done
if grep -q '^kameipsec ' /proc/modules; then
	echo "not ok 1 kameipsec still in use 60 s after flushing (refcount $(awk '$1 == "kameipsec" { print $3 }' /proc/modules))"
	exit 1
fi
modprobe af_key || { echo "not ok 1 cannot load af_key"; exit 1; }
l=$(run_set af_key)
lrc=$?
rmmod af_key
insmod "$SRC/kameipsec.ko"	# run.sh unloads it afterwards
[ $lrc = 0 ] || { echo "not ok 1 af_key run failed"; exit 1; }
set -- $k
kadd=$2 kspd=$3 kdump=$4 kcount=$5
set -- $l
ladd=$2 lspd=$3 ldump=$4 lcount=$5
awk -v ka="$kadd" -v ks="$kspd" -v kd="$kdump" -v la="$ladd" -v ls="$lspd" -v ld="$ldump" 'BEGIN {
	printf "#            kameipsec     af_key   ratio (kameipsec/af_key)\n"
	printf "# add      %9.3fs %9.3fs   %.2f\n", ka, la, ka / la
	printf "# spdadd   %9.3fs %9.3fs   %.2f\n", ks, ls, ks / ls
	printf "# dump -D  %9.3fs %9.3fs   %.2f\n", kd, ld, kd / ld
}'
echo "# setkey -D listed $kcount SAs on kameipsec, $lcount on af_key"
[ "$kcount" = "$N" ]
echo "$([ $? = 0 ] && echo ok || echo not ok) 1 setkey -D of $N SAs on kameipsec lists all of them"
[ "$kcount" = "$N" ]
