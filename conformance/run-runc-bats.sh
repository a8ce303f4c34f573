#!/bin/bash
# Runs runc's own bats integration suite (tests/integration/*.bats of an
# opencontainers/runc checkout) against any runtime binary, offline.
#
#   conformance/run-runc-bats.sh RUNTIME RUNC_CHECKOUT HELPERS_DIR [FILE.bats...]
#
# RUNTIME        the binary the suite calls as runc (e.g. /usr/sbin/runc or ./jrun)
# RUNC_CHECKOUT  a runc source tree (this script never fetches one)
# HELPERS_DIR    the suite's Go helpers built from that tree (recvtty, sd-helper,
#                seccompagent...; see docs/conformance.md for how)
# FILE.bats      only these files of tests/integration (default: all)
# FILE_TIMEOUT   (environment) seconds a file may take before it is stopped (default 900)
#
# The suite runs on a copy of tests/integration, so the checkout is left
# untouched: the helpers are placed where the suite looks for them, and the
# images it would download are built here from Debian's busybox-static (and,
# for the "debian" image, busybox with the host's static ldconfig). It prints
# each file's TAP and then a table of pass/fail/skip counts a file; the TAP of
# the whole run is kept in $RESULTS_DIR (default: a temporary directory).
set -euo pipefail

usage() {
	sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

[ $# -ge 3 ] || usage
runtime=$(readlink -f "$1")
checkout=$(readlink -f "$2")
helpers=$(readlink -f "$3")
shift 3

[ "$(id -u)" -eq 0 ] || { echo "run-runc-bats: the suite's tests need root" >&2; exit 2; }
[ -x "$runtime" ] || { echo "run-runc-bats: $runtime: not an executable" >&2; exit 2; }
[ -d "$checkout/tests/integration" ] || { echo "run-runc-bats: $checkout/tests/integration: no such directory" >&2; exit 2; }
[ -d "$helpers" ] || { echo "run-runc-bats: $helpers: no such directory" >&2; exit 2; }

# What the suite itself calls: bats, jq, gawk, go (its get-images.sh asks `go env GOARCH`), gcc (hooks.bats).
missing=()
for tool in bats:bats jq:jq gawk:gawk go:golang-go busybox:busybox-static gcc:gcc; do
	command -v "${tool%%:*}" > /dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
	apt-get install -y "${missing[@]}" > /dev/null
fi

work=$(mktemp -d /tmp/runc-bats.XXXXXX)
trap 'rm -rf "$work"' EXIT
results=${RESULTS_DIR:-$work/results}
mkdir -p "$results"

mkdir -p "$work/tests"
cp -a "$checkout/tests/integration" "$work/tests/integration"
# spec.bats reads the runtime-spec version from runc's go.mod.
cp "$checkout/go.mod" "$work/go.mod"
suite=$work/tests/integration

# runc 1.1 looks for its helpers in contrib/cmd/NAME/NAME, newer runc in tests/cmd/NAME/NAME.
for helper in "$helpers"/*; do
	name=$(basename "$helper")
	for dir in "$work/contrib/cmd/$name" "$work/tests/cmd/$name"; do
		mkdir -p "$dir"
		ln -s "$helper" "$dir/$name"
	done
done

# A busybox root filesystem as docker's busybox image lays it out.
build_busybox_rootfs() {
	local rootfs=$1
	mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var,home,proc,sys,dev,lib}
	chmod 1777 "$rootfs/tmp"
	cp "$(command -v busybox)" "$rootfs/bin/busybox"
	local applet
	for applet in $("$rootfs/bin/busybox" --list-full); do
		[ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
	done
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'daemon:x:1:1:daemon:/usr/sbin:/bin/false' \
		'nobody:x:65534:65534:nobody:/home:/bin/false' > "$rootfs/etc/passwd"
	printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'tty:x:5:' 'nogroup:x:65534:' > "$rootfs/etc/group"
}

arch=$(go env GOARCH)
build_busybox_rootfs "$work/busybox"
tar -C "$work/busybox" -cJf "$suite/testdata/busybox-$arch.tar.xz" .
# hooks.bats runs ldconfig in its "debian" image; nothing else of Debian is used.
build_busybox_rootfs "$work/debian"
cp /sbin/ldconfig "$work/debian/sbin/ldconfig"
echo /lib > "$work/debian/etc/ld.so.conf"
tar -C "$work/debian" -cJf "$suite/testdata/debian-$arch.tar.xz" .

if [ $# -gt 0 ]; then
	files=("$@")
else
	files=()
	for file in "$suite"/*.bats; do files+=("$(basename "$file")"); done
fi

printf '%-32s %5s %5s %5s\n' FILE PASS FAIL SKIP > "$results/summary.txt"
total_pass=0 total_fail=0 total_skip=0
for file in "${files[@]}"; do
	echo "# $file"
	tap=$results/${file%.bats}.tap
	# On a pseudo-terminal of its own, as in runc's CI: run with process.terminal opens /dev/tty.
	# script(1) gives it a 0x0 one when this script's stdin is no terminal.
	# A test whose runtime never connects to its recvtty waits for ever: each file gets $FILE_TIMEOUT.
	(cd "$suite" && RUNC="$runtime" timeout -k 10 "${FILE_TIMEOUT:-900}" script -qefc "bats --tap $file" /dev/null \
		< /dev/null || true) 2>&1 \
		| tr -d '\r' | tee "$tap"
	pass=$(grep -E '^ok [0-9]+ ' "$tap" | grep -vc ' # skip' || true)
	skip=$(grep -Ec '^ok [0-9]+ .* # skip' "$tap" || true)
	fail=$(grep -Ec '^not ok [0-9]+ ' "$tap" || true)
	printf '%-32s %5d %5d %5d\n' "$file" "$pass" "$fail" "$skip" >> "$results/summary.txt"
	total_pass=$((total_pass + pass)) total_fail=$((total_fail + fail)) total_skip=$((total_skip + skip))
done
printf '%-32s %5d %5d %5d\n' TOTAL "$total_pass" "$total_fail" "$total_skip" >> "$results/summary.txt"

echo "# $("$runtime" --version | head -1) against runc's suite from $checkout"
cat "$results/summary.txt"
