#!/bin/sh
# Regenerates bindings/ from libc.h and includes.txt, and the i386 and x32
# system call numbers from syscalls-i386.h and syscalls-x32.h, with the jextract on PATH,
# then records a checksum of every generated file in generated.sha256 so that
# hand edits fail the build (GeneratedBindingsTest in runtime-core).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../bindings/src/main/java"
manifest="$here/generated.sha256"

if ! command -v jextract >/dev/null 2>&1; then
    echo "generate.sh: no jextract on PATH." >&2
    echo "  jextract is not published to any registry; build it from openjdk/jextract" >&2
    echo "  (outside this repository) and put its bin/ on PATH. See README.md here." >&2
    exit 1
fi

cd "$here"
rm -rf "$out/dev/jrun/bindings"
jextract @jextract.args @includes.txt libc.h
# The i386 and x32 system call numbers: the same macro names as x86-64's, so a class each.
jextract --target-package dev.jrun.bindings --header-class-name I386Syscalls --output "$out" syscalls-i386.h
jextract -D __ILP32__ --target-package dev.jrun.bindings --header-class-name X32Syscalls --output "$out" syscalls-x32.h

(cd "$out" && find dev -name '*.java' | LC_ALL=C sort | xargs sha256sum) > "$manifest"
echo "generated $(wc -l < "$manifest") files into bindings/src/main/java"
