#!/bin/bash
# Host side: the setkey VM tests against kameipsec.ko, then the same
# scripts against Linux's af_key (the cross-check), then the benchmark
# when asked (--bench).
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
make -s -C "$SRC/user" all || exit 1
"$SRC/selftests/vm/run.sh" -- selftests/setkey/seed.sh || rc=1
"$SRC/selftests/vm/run.sh" --noload -- selftests/setkey/seed.sh --af_key || rc=1
if [ "${1:-}" = --bench ]; then
	"$SRC/selftests/vm/run.sh" -- selftests/setkey/bench.sh || rc=1
fi
exit $rc
