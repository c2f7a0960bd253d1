#!/bin/bash
# The README's first commands on a machine without linux-headers-amd64 (issue
# #17): the Makefile computes KDIR when make starts, so a target that runs
# deps must build the module in a new make, after the headers are there.
# Shims on PATH hide the package until the (shimmed) apt-get "installs" it;
# the module build then runs as make -n against the real headers tree.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
. "$TOP/selftests/lib.sh"

ktap_plan 4
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
abi=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
      sed -n 's/.*linux-headers-\([0-9.-]*\)-amd64.*/\1/p')
if [ -z "$abi" ] || [ "$(id -u)" -ne 0 ]; then
	for t in demo bench; do
		ktap_skip "make $t: needs root and linux-headers-amd64"
		ktap_skip "make $t: module built against the headers"
	done
	ktap_finish
	exit
fi

mkdir "$state/bin"
cat >"$state/bin/dpkg-query" <<SH
#!/bin/sh
case "\$*" in *linux-headers-amd64*) [ -e "$state/installed" ] || exit 1 ;; esac
exec /usr/bin/dpkg-query "\$@"
SH
cat >"$state/bin/apt-get" <<SH
#!/bin/sh
echo "apt-get \$*" >>"$state/apt.log"
case "\$*" in *install*linux-headers-amd64*) touch "$state/installed" ;; esac
SH
chmod +x "$state/bin/"*

# The target's deps step runs for real (shimmed); the sub-make only prints.
for t in demo bench; do
	rm -f "$state/installed"
	out=$state/$t.log
	(cd "$TOP" && PATH="$state/bin:$PATH" make --no-print-directory "$t" \
		MAKE="make -n" >"$out" 2>&1)
	rc=$?
	check "make $t: exits 0 as the first command (exit $rc)" \
		[ "$rc" -eq 0 -a -e "$state/installed" ]
	check "make $t: module built against /usr/src/linux-headers-$abi-amd64" \
		grep -q "make -C /usr/src/linux-headers-$abi-amd64 M=$TOP modules" "$out"
	[ "$rc" -eq 0 ] || tail -n 20 "$out" | sed 's/^/# /'
done
ktap_finish
