#!/bin/sh
# Regenerates bindings/ from libc.h and includes.txt with the jextract on PATH,
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

(cd "$out" && find dev -name '*.java' | LC_ALL=C sort | xargs sha256sum) > "$manifest"
echo "generated $(wc -l < "$manifest") files into bindings/src/main/java"
