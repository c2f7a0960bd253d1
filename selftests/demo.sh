#!/bin/bash
# make demo: runs inside the VM (selftests/vm/run.sh -- selftests/demo.sh).
# Today it shows the module serving PF_KEY; the seed's host-to-host example
# (two namespaces, setkey, ESP on the wire) replaces this once the transform
# engine lands.
set -e
cd "$(dirname "$0")"
say() { printf '\n### %s\n' "$*"; }

say "kameipsec.ko is loaded on the stock kernel $(uname -r)"
grep '^kameipsec ' /proc/modules
dmesg | grep 'kameipsec:' | tail -n 3

say "PF_KEY is served by kameipsec (/proc/net/protocols)"
grep -E '^(protocol|KAME_PFKEY) ' /proc/net/protocols | cut -c1-40

say "A PF_KEY v2 socket opens"
./pfkey_open && echo "socket(PF_KEY, SOCK_RAW, PF_KEY_V2): ok"
