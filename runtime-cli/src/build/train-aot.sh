#!/bin/sh
# Builds the AOT caches ./jrun starts with (JDK 25, JEP 483/514/515) by running AotTraining's two
# workloads with the launcher's JVM options: runtime-cli/target/jrun.aot for the commands that start
# a container, runtime-cli/target/jrun-control.aot for the short commands that manage one. Run by the
# build after the jar is made. It never fails the build: without a cache ./jrun is only slower.
# Only root can train on commands that start containers; anyone else trains on the others.
# Usage: train-aot.sh JAVA TARGET_DIR JVM_OPTIONS_FILE
set -u
java=$1 target=$2 options=$3
containers=
if [ "$(id -u)" = 0 ]; then
    containers=--containers
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/jrun-aot.XXXXXX") || exit 0

# train WORKLOAD CACHE: the control workload uses the containers the launch workload left.
train() {
    cache=$target/$2 log=$target/aot-training-$1.log
    rm -f "$cache"
    if "$java" @"$options" -XX:AOTCacheOutput="$cache" -cp "$target/jrun.jar" dev.jrun.cli.AotTraining \
            "$1" "$work" $containers >"$log" 2>&1 && [ -s "$cache" ]; then
        echo "jrun: AOT cache $cache trained${containers:+ (with containers)}"
    else
        echo "jrun: no AOT cache $cache: its training failed (see $log); ./jrun works without it, only slower" >&2
        rm -f "$cache"
    fi
}
train launch jrun.aot
train control jrun-control.aot
if [ -n "$containers" ]; then
    # Whatever a failed control workload left running (nothing when it succeeded).
    for id in train-running train-created; do
        "$java" @"$options" -jar "$target/jrun.jar" --root "$work/state" delete --force "$id" >/dev/null 2>&1
    done
fi
rm -rf "$work"
