#!/usr/bin/env bash
# Compares jrun with runc, crun and bwrap on one busybox rootfs, in one run, and
# writes the results with ratios to docs/benchmarks.md.
#
#   JAVA_HOME=... mvn -q -DskipTests package   # the README's build, once
#   bash benchmarks/run.sh                     # as root; RUNS=N sets hyperfine's runs (default 30)
#
# Everything runs inside a private mount namespace with the cgroup2 mount of this
# hybrid host hidden, because crun refuses hybrid hosts otherwise: all contenders
# run the same way.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-30}

if [ "$(id -u)" != 0 ]; then
    echo "benchmarks/run.sh: run as root (containers need it, and so do runc and crun)" >&2
    exit 1
fi
if [ -z "${JRUN_BENCH_PRIVATE_MOUNTS:-}" ]; then
    exec unshare --mount --propagation private env JRUN_BENCH_PRIVATE_MOUNTS=1 "$0" "$@"
fi
umount /sys/fs/cgroup/unified 2>/dev/null || true

for tool in hyperfine runc crun bwrap busybox podman; do
    if ! command -v "$tool" >/dev/null; then
        apt-get install -y -qq hyperfine runc crun bubblewrap busybox-static podman >/dev/null
        break
    fi
done
for jdk in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
    if [ -n "$jdk" ] && grep -q '^JAVA_VERSION="25' "$jdk/release" 2>/dev/null; then java_home=$jdk; break; fi
done
java="${java_home:?no JDK 25 found}/bin/java"
jar="$repo/benchmarks/target/benchmarks.jar"
[ -f "$jar" ] && [ -f "$repo/runtime-cli/target/jrun.jar" ] || {
    echo "benchmarks/run.sh: build first: JAVA_HOME=$java_home mvn -q -DskipTests package" >&2; exit 1; }

work=$(mktemp -d /tmp/jrun-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# One busybox rootfs and one OCI bundle (runc's default config) around it.
bundle="$work/bundle"
rootfs="$bundle/rootfs"
mkdir -p "$rootfs"/{bin,proc,dev,sys,tmp,etc}
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for applet in sh true sleep ls cat; do ln -s busybox "$rootfs/bin/$applet"; done
(cd "$bundle" && runc spec)
sed -i -e 's/"terminal": true/"terminal": false/' -e 's#^\(\s*\)"sh"$#\1"/bin/true"#' "$bundle/config.json"
sleeper="$work/sleeper"
mkdir -p "$sleeper"
sed -e 's#"/bin/true"#"/bin/sleep", "2"#' -e "s#\"path\": \"rootfs\"#\"path\": \"$rootfs\"#" \
    "$bundle/config.json" > "$sleeper/config.json"

mkdir -p "$work/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > "$work/hello/Hello.java"
"$java_home/bin/javac" -d "$work/hello" "$work/hello/Hello.java"

echo "== whole processes (hyperfine, $runs runs each)"
hyperfine -N --style basic --warmup 3 --runs "$runs" --export-csv "$work/cli.csv" \
    -n "crun run" "crun --root $work/crun run -b $bundle bench-crun" \
    -n "runc run" "runc --root $work/runc run -b $bundle bench-runc" \
    -n "bwrap" "bwrap --unshare-all --ro-bind $rootfs / --proc /proc --dev /dev /bin/true" \
    -n "jrun run -b (OCI bundle)" "$repo/jrun --root $work/jrun run -b $bundle bench-jrun" \
    -n "jrun run --rootfs (ad hoc)" "$repo/jrun run --rootfs $rootfs -- /bin/true" \
    -n "jrun --version" "$repo/jrun --version" \
    -n "JVM hello world" "$java -Xshare:auto -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp $work/hello Hello"

# Each CLI command users and engines call, jrun's against runc's on the same bundle. A command that
# needs a container in some state gets it from a --prepare run before each timing (not timed).
jrun="$repo/jrun --root $work/jrun"
runc="runc --root $work/runc"
long="$work/long"
mkdir -p "$long"
sed -e 's#"/bin/sleep", "2"#"/bin/sleep", "600"#' "$sleeper/config.json" > "$long/config.json"
: > "$work/commands.csv"
# compare NAME JRUN_ARGS RUNC_ARGS [PREPARE_JRUN PREPARE_RUNC]: both with the runtime's --root prefixed.
compare() {
    local name=$1 jrun_args=$2 runc_args=$3 prepare_jrun=${4:-true} prepare_runc=${5:-true}
    hyperfine -N --style basic --warmup 2 --runs "$runs" --export-csv "$work/one.csv" \
        --prepare "$prepare_jrun" -n "jrun $name" "$jrun $jrun_args" \
        --prepare "$prepare_runc" -n "runc $name" "$runc $runc_args"
    tail -n +2 "$work/one.csv" >> "$work/commands.csv"
}
quiet() { echo "sh -c '$* >/dev/null 2>&1 || true'"; }
echo "== CLI commands, jrun vs runc (hyperfine, $runs runs each)"
compare "--version" "--version" "--version"
compare "run -b" "run -b $bundle cmd-run" "run -b $bundle cmd-run"
compare "run -- (host sandbox; runc: run -b)" "run -- /bin/true" "run -b $bundle cmd-run"
compare "create" "create -b $bundle cmd-create" "create -b $bundle cmd-create" \
    "$(quiet "$jrun delete --force cmd-create")" "$(quiet "$runc delete --force cmd-create")"
compare "start" "start cmd-start" "start cmd-start" \
    "$(quiet "$jrun delete --force cmd-start; $jrun create -b $bundle cmd-start")" \
    "$(quiet "$runc delete --force cmd-start; $runc create -b $bundle cmd-start")"
$repo/jrun --root "$work/jrun" create -b "$long" cmd-state
runc --root "$work/runc" create -b "$long" cmd-state
compare "state" "state cmd-state" "state cmd-state"
compare "kill" "kill cmd-kill KILL" "kill cmd-kill KILL" \
    "$(quiet "$jrun delete --force cmd-kill; $jrun create -b $long cmd-kill")" \
    "$(quiet "$runc delete --force cmd-kill; $runc create -b $long cmd-kill")"
compare "delete" "delete --force cmd-delete" "delete --force cmd-delete" \
    "$(quiet "$jrun create -b $long cmd-delete")" "$(quiet "$runc create -b $long cmd-delete")"
$repo/jrun --root "$work/jrun" start cmd-state
runc --root "$work/runc" start cmd-state
compare "exec" "exec cmd-state /bin/true" "exec cmd-state /bin/true"
# The short commands above went to jrun's resident helper (its warm-up runs started it); the same
# ones again in a JVM each, as with no helper (JRUN_HELPER=off: the single-process path).
jrun="env JRUN_HELPER=off $jrun"
compare "state (no helper)" "state cmd-state" "state cmd-state"
compare "kill (no helper)" "kill cmd-kill KILL" "kill cmd-kill KILL" \
    "$(quiet "$jrun delete --force cmd-kill; $jrun create -b $long cmd-kill")" \
    "$(quiet "$runc delete --force cmd-kill; $runc create -b $long cmd-kill")"
compare "--version (no helper)" "--version" "--version"
jrun="$repo/jrun --root $work/jrun"
for id in cmd-state cmd-kill cmd-start cmd-create; do
    $repo/jrun --root "$work/jrun" delete --force "$id" >/dev/null 2>&1 || true
    runc --root "$work/runc" delete --force "$id" >/dev/null 2>&1 || true
done

# What an engine pays: podman with each runtime, on its own storage, the same busybox as an image.
echo "== podman run --rm, jrun vs runc (hyperfine, $runs runs each)"
printf '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' \
    > "$work/containers.conf"
podman="env CONTAINERS_CONF=$work/containers.conf podman --root $work/podman/storage --runroot $work/podman/run"
tar -C "$rootfs" -cf "$work/busybox.tar" .
$podman import --change ENV=PATH=/bin "$work/busybox.tar" localhost/jrun-bench:latest >/dev/null
hyperfine -N --style basic --warmup 2 --runs "$runs" --export-csv "$work/one.csv" \
    -n "jrun podman run --rm IMAGE true" "$podman --runtime $repo/jrun run --rm localhost/jrun-bench true" \
    -n "runc podman run --rm IMAGE true" "$podman --runtime $(command -v runc) run --rm localhost/jrun-bench true"
tail -n +2 "$work/one.csv" >> "$work/commands.csv"
$podman system reset --force >/dev/null 2>&1

echo "== where jrun run -b spends its time"
"$repo/benchmarks/breakdown.sh" "$bundle" > "$work/breakdown.md"

echo "== library (JMH)"
"$java" -cp "$jar:$repo/benchmarks/target/lib/*" org.openjdk.jmh.Main \
    -jvmArgsAppend "--enable-native-access=ALL-UNNAMED -Djrun.bench.rootfs=$rootfs" \
    -prof gc -rf csv -rff "$work/jmh.csv" 'dev.jrun.benchmarks.*'

echo "== 1000 containers from one JVM"
"$java" --enable-native-access=ALL-UNNAMED -Djrun.bench.rootfs="$rootfs" -cp "$jar:$repo/benchmarks/target/lib/*" \
    dev.jrun.benchmarks.LeakCheck 1000 | tee "$work/leaks.csv"

# Peak resident memory of the runtime's own process while its container runs (sleep 2).
peak_rss_kb() {
    "$@" >/dev/null 2>&1 &
    local pid=$! peak=0 now
    while kill -0 "$pid" 2>/dev/null; do
        now=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [ -n "$now" ] && peak=$now
        sleep 0.05
    done
    wait "$pid" || true
    echo "$peak"
}
echo "== memory"
rss_jrun=$(peak_rss_kb "$repo/jrun" --root "$work/jrun" run -b "$sleeper" bench-rss)
rss_runc=$(peak_rss_kb runc --root "$work/runc" run -b "$sleeper" bench-rss)
rss_crun=$(peak_rss_kb crun --root "$work/crun" run -b "$sleeper" bench-rss)

"$repo/benchmarks/report.sh" "$work/cli.csv" "$work/jmh.csv" "$work/leaks.csv" "$rss_jrun" "$rss_runc" "$rss_crun" \
    "$work/commands.csv" "$work/breakdown.md" \
    > "$repo/docs/benchmarks.md"
echo "== written to docs/benchmarks.md"
sed -n '/^## Results/,$p' "$repo/docs/benchmarks.md"
