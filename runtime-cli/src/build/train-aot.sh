#!/bin/sh
# Builds runtime-cli/target/jrun.aot, the AOT cache ./jrun starts with (JDK 25, JEP 483/514/515),
# by running AotTraining with the launcher's JVM options. Run by the build after the jar is made.
# It never fails the build: without a cache ./jrun is only slower. Only root can train on
# commands that start containers; anyone else trains on the others.
# Usage: train-aot.sh JAVA TARGET_DIR JVM_OPTIONS_FILE
set -u
java=$1 target=$2 options=$3
cache=$target/jrun.aot
log=$target/aot-training.log
rm -f "$cache"
containers=
if [ "$(id -u)" = 0 ]; then
    containers=--containers
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/jrun-aot.XXXXXX") || exit 0
if "$java" @"$options" -XX:AOTCacheOutput="$cache" -cp "$target/jrun.jar" dev.jrun.cli.AotTraining "$work" $containers \
        >"$log" 2>&1 && [ -s "$cache" ]; then
    echo "jrun: AOT cache $cache trained${containers:+ (with containers)}"
else
    echo "jrun: no AOT cache: its training failed (see $log); ./jrun works without it, only slower" >&2
    rm -f "$cache"
fi
rm -rf "$work"
