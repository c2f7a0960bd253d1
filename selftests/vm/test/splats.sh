#!/bin/bash
# selftests/vm/splats.sh: which kernel reports fail a VM run. The known
# nf_tables PROVE_RCU_LIST reports (recorded from the debug kernel,
# 2026-12-03) pass; the same report with a kameipsec frame, any other
# report, and a WARNING with kameipsec loaded fail.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
. "$TOP/selftests/lib.sh"
S=$TOP/selftests/vm/splats.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ktap_plan 6
check "a clean log passes" "$S" /dev/null
out=$("$S" "$HERE/data/dmesg-nft-rcu.txt"); rc=$?
check "the recorded nf_tables RCU-list reports pass as known" \
	eval '[ $rc -eq 0 ] && [ "$(grep -c "^known: .*nf_tables_api.c:4122" <<<"$out")" -eq 1 ] &&
		[ "$(grep -c "^known: .*nft_set_bitmap.c:96" <<<"$out")" -eq 1 ]'
sed 's/nft_bitmap_insert+0x88\/0x340/kame_spd_lookup+0x88\/0x340 [kameipsec]/' \
	"$HERE/data/dmesg-nft-rcu.txt" >"$tmp/ours"
check "the same report through a kameipsec frame fails" eval '! "$S" "$tmp/ours" >/dev/null'
sed 's/nft_set_bitmap\.c:96/net\/core\/dev.c:96/' "$HERE/data/dmesg-nft-rcu.txt" >"$tmp/other"
out=$("$S" "$tmp/other"); rc=$?
check "an RCU report elsewhere fails, and is printed" \
	eval '[ $rc -eq 1 ] && grep -q "core/dev.c:96" <<<"$out"'
printf '%s\n' '[   1.0] WARNING: CPU: 0 PID: 1 at net/netfilter/nf_tables_api.c:4122 x+0x1/0x2' \
	'[   1.0] Modules linked in: kameipsec(O)' '[   1.0] RIP: 0010:x+0x1/0x2' >"$tmp/warn"
check "a WARNING with kameipsec loaded fails even at a known line" eval '! "$S" "$tmp/warn" >/dev/null'
printf '%s\n' '[   2.0] BUG: KASAN: use-after-free in foo+0x1/0x2' >"$tmp/kasan"
check "a KASAN report fails" eval '! "$S" "$tmp/kasan" >/dev/null'
ktap_finish
