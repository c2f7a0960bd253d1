#!/bin/bash
# selftests/vm/debug-missing.sh: modules the tests loaded on Debian's
# kernel that a debug kernel has neither built in nor as a module.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
. "$TOP/selftests/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/mod/kernel/net/key" "$tmp/mod/kernel/net/ipv4"
printf '%s\n' kernel/net/netfilter/nf_tables.ko kernel/net/netfilter/nft_ct.ko \
	kernel/crypto/sha256_generic.ko >"$tmp/mod/modules.builtin"
: >"$tmp/mod/kernel/net/key/af_key.ko"
: >"$tmp/mod/kernel/net/ipv4/tcp_diag.ko.xz"
printf '%s\n' nf_tables nft_ct nft_objref kameipsec af_key sha256_generic tcp_diag 9p \
	inet_diag >"$tmp/seen"
out=$("$TOP/selftests/vm/debug-missing.sh" "$tmp/seen" "$tmp/mod")
ktap_plan 3
check "built-in and modular ones are not named" \
	eval '! grep -qxE "nf_tables|nft_ct|sha256_generic|tcp_diag" <<<"$out"'
check "the missing ones are named: nft_objref, inet_diag" \
	test "$(tr '\n' ' ' <<<"$out")" = "nft_objref inet_diag "
check "kameipsec, af_key and the bed's 9p are never asked for" \
	eval '! grep -qxE "kameipsec|af_key|9p" <<<"$out"'
ktap_finish
