#!/bin/bash
# The README's first commands on a machine without linux-headers-amd64 (issue
# #17): the Makefile computes KDIR when make starts, so a target that runs
# deps must build the module in a new make, after the headers are there.
# Shims on PATH hide the package until the (shimmed) apt-get "installs" it;
# the new make only prints, and records each sub-make it would start.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
. "$TOP/selftests/lib.sh"
# as a user starts it: not from inside make check-host (its KDIR, flags, and
# the KFLAVOUR of "make check KFLAVOUR=rt", which picks other headers)
unset KDIR KFLAVOUR MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

ktap_plan 6
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
abi=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
      sed -n 's/.*linux-headers-\([0-9.-]*\)-amd64.*/\1/p')
if [ -z "$abi" ] || [ "$(id -u)" -ne 0 ]; then
	for t in demo bench; do
		ktap_skip "make $t: needs root and linux-headers-amd64"
		ktap_skip "make $t: module built against the headers"
	done
	ktap_skip "make check: needs root and linux-headers-amd64"
	ktap_skip "make demo KDIR=...: needs root and linux-headers-amd64"
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
cat >"$state/bin/submake" <<SH
#!/bin/sh
echo "\$*" >>"$state/submake.log"
case " \$* " in *" -C "*) exit 0 ;; esac	# kbuild, user/: recorded only
exec make -n "\$@"
SH
chmod +x "$state/bin/"*

# run TARGET [ARGS]: the deps step runs for real (shimmed), the rest only
# prints. Sets $rc and $log.
run() {
	rm -f "$state/installed" "$state/submake.log"
	log=$state/submake.log
	(cd "$TOP" && PATH="$state/bin:$PATH" make --no-print-directory "$@" \
		MAKE="$state/bin/submake" >"$state/out" 2>&1)
	rc=$?
	touch "$log"
	[ "$rc" -eq 0 ] || tail -n 20 "$state/out" | sed 's/^/# /'
}

hdr=/usr/src/linux-headers-$abi-amd64
for t in demo bench; do
	run "$t"
	check "make $t: exits 0 as the first command (exit $rc)" \
		[ "$rc" -eq 0 -a -e "$state/installed" ]
	check "make $t: module built against $hdr" \
		grep -qx -- "-C $hdr M=$TOP modules" "$log"
	[ "$rc" -eq 0 ] || sed 's/^/# sub-make: /' "$log"
done
# make check: scripts/check.sh runs its own makes (the 'make' on PATH).
# Those only print, and vm-kernel fails to stop it before the VM. It runs
# in a tree of links so that its logs (build/check/) go to $state.
cat >"$state/bin/make" <<SH
#!/bin/sh
case " \$* " in *" vm-kernel "*) exit 1 ;; esac
exec /usr/bin/make -n MAKE="$state/bin/submake" "\$@"
SH
chmod +x "$state/bin/make"
tree=$state/tree
mkdir -p "$tree/scripts"
for f in "$TOP"/* "$TOP"/scripts/*; do
	case ${f#"$TOP"/} in build | scripts) continue ;; esac
	ln -s "$f" "$tree/${f#"$TOP"/}"
done
rm -f "$state/installed" "$state/submake.log"
(cd "$tree" && PATH="$state/bin:$PATH" /usr/bin/make --no-print-directory \
	check >"$state/out" 2>&1)
touch "$state/submake.log"
check "make check: deps ran, then the module built against $hdr" \
	grep -qx -- "-C $hdr M=$tree modules" "$state/submake.log" ||
	sed 's/^/# sub-make: /' "$state/submake.log"
rm -f "$state/bin/make"

run demo KDIR=/nonexistent/kdir
check "make demo KDIR=...: the user's KDIR is kept" \
	grep -qx -- "-C /nonexistent/kdir M=$TOP modules" "$log"
ktap_finish
