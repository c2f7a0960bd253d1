#!/bin/bash
# Test that kameipsec loads and unloads cleanly on the stock kernel, serves
# PF_KEY, and refuses to share PF_KEY with Linux's af_key in either order.
. "$(dirname "$0")/lib.sh"
KO=${SRC:-$(cd "$(dirname "$0")/.." && pwd)}/kameipsec.ko

ktap_plan 8

kame_loaded || insmod "$KO"
check "module is loaded and registers its PF_KEY protocol" \
	grep -q '^KAME_PFKEY ' /proc/net/protocols
check "a PF_KEY socket opens while kameipsec is loaded" ./pfkey_open

# af_key after kameipsec: af_key cannot take PF_KEY. (modprobe reports the
# EEXIST its init returns as "already loaded" success, so use insmod.)
modprobe xfrm_algo
afkey_ko=$(modinfo -n af_key)
if insmod "$afkey_ko" 2>/dev/null || afkey_loaded; then
	ktap_fail "af_key refused while kameipsec owns PF_KEY"
	rmmod af_key
else
	ktap_ok "af_key refused while kameipsec owns PF_KEY"
fi

# An open socket pins the module.
./pfkey_open --hold 30 &
holder=$!
# ready once it holds the socket (its start takes seconds under TCG)
wait_for 30 sh -c "ls -l /proc/$holder/fd 2>/dev/null | grep -q socket:"
if rmmod kameipsec 2>/dev/null; then
	ktap_fail "an open PF_KEY socket keeps the module in"
	insmod "$KO"
else
	ktap_ok "an open PF_KEY socket keeps the module in"
fi
kill "$holder"; wait "$holder" 2>/dev/null

check "module unloads once its sockets are closed" rmmod kameipsec

# kameipsec after af_key: refused with one clear dmesg line.
modprobe af_key
dmesg -c >/dev/null
if insmod "$KO" 2>/dev/null; then
	ktap_fail "kameipsec refused while af_key owns PF_KEY"
	rmmod kameipsec
else
	ktap_ok "kameipsec refused while af_key owns PF_KEY"
fi
check "the refusal names af_key in dmesg" \
	bash -c 'dmesg | grep -q "kameipsec: PF_KEY is already served by another module (af_key?)"'
rmmod af_key
check "kameipsec loads again once af_key is gone" insmod "$KO"
ktap_finish
