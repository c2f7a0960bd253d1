#!/bin/bash
# The module's load-time self-tests, which only a KAMEIPSEC_DEBUG=y build
# has (make module-debug): the replay window, the SPD's indexed lookup and
# ACQUIRE suppression, each checked against a naive model at load. A failed
# self-test fails the load; each passing one says so in dmesg.
. "$(dirname "$0")/lib.sh"
SRC=${SRC:-$(cd "$(dirname "$0")/.." && pwd)}
KO=$SRC/kameipsec.ko
KO_DEBUG=$SRC/build/module-debug/kameipsec.ko
[ -e "$KO_DEBUG" ] || skip_all "no $KO_DEBUG (make module-debug)"

ktap_plan 5
# Whatever happens, the suite goes on with the module it loaded.
on_exit_late 'kame_loaded || insmod "$KO"'
kame_loaded && rmmod kameipsec
echo "kameipsec selftest: module_selftests.sh: loading the debug build" >/dev/kmsg
check "the self-testing build loads" insmod "$KO_DEBUG"
log=$(dmesg | sed -n '/module_selftests.sh: loading the debug build/,$p')
for t in "replay window self-tests: pass" "SPD lookup self-test: pass (0 mismatches)" \
	 "acquire suppression self-test: pass"; do
	check "dmesg: $t" grep -qF "kameipsec: $t" <<<"$log"
done
check "the self-testing build unloads" rmmod kameipsec
insmod "$KO"
ktap_finish
