#!/bin/bash
# Take kselftest.h and kselftest_harness.h from Debian's linux-source-6.1
# (never a copy in the repo) and put them in $1.
set -euo pipefail
out=$1
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "linux-source tarball missing: run 'make deps'" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
top=$(basename "$tarball" .tar.xz)
tar -C "$tmp" -xJf "$tarball" --wildcards "$top/tools/testing/selftests/kselftest*.h"
mkdir -p "$out"
cp "$tmp/$top"/tools/testing/selftests/kselftest*.h "$out/"
