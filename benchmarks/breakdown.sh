#!/usr/bin/env bash
# Where `jrun run -b BUNDLE ID` (command /bin/true) spends its time, as a markdown section on stdout.
# Runs jrun's jar the way ./jrun does (runtime-cli/jvm.options), as root, three ways:
#   - -Xlog:startuptime and -Xlog:class+load: JVM creation, classes loaded (and how many came
#     from the AOT cache), downcall stubs spun, by library;
#   - JFR execution samples of the main thread every millisecond, sorted into phases by
#     jfr-phases.py. JFR adds the jdk.jfr module, which the AOT cache refuses, so this one
#     runs without the cache: it shows the cold work the cache and the code have to remove.
# Usage: breakdown.sh BUNDLE
set -euo pipefail
bundle=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
java_home=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cli="$repo/runtime-cli"
work=$(mktemp -d /tmp/jrun-breakdown.XXXXXX)
trap 'rm -rf "$work"' EXIT

jrun() {
    "$java_home/bin/java" @"$cli/jvm.options" "$@" -jar "$cli/target/jrun.jar" --root "$work/state" \
        run -b "$bundle" breakdown >/dev/null
}
count() { grep -c -- "$1" "$2" || true; }
classes() {
    local log=$1
    echo "| $2 | $(count ' source: ' "$log") | $(count 'shared objects file' "$log") | $(count 'com.fasterxml.jackson' "$log") | $(count ' picocli\.' "$log") | $(count 'org.apache.logging' "$log") | $(count ' dev.jrun' "$log") | $(count 'java.lang.invoke.LambdaForm' "$log") | $(count 'DowncallStub' "$log") | $(awk '/Create VM/ {printf "%.0f ms", $(NF - 1) * 1000}' "$3") |"
}

jrun -Xlog:class+load:file="$work/cold.log" -Xlog:startuptime:file="$work/cold.start"
jrun -XX:AOTCache="$cli/target/jrun.aot" -Xlog:aot*=off -Xlog:cds*=off \
    -Xlog:class+load:file="$work/aot.log" -Xlog:startuptime:file="$work/aot.start"
cat > "$work/samples.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">1 ms</setting></event>
</configuration>
JFC
jrun -XX:StartFlightRecording=filename="$work/run.jfr",settings="$work/samples.jfc" -Xlog:jfr*=off
python3 "$repo/benchmarks/jfr-phases.py" "$work/run.jfr" "$java_home/bin/jfr" > "$work/phases.tsv"
total=$(awk -F'\t' '{ n += $2 } END { print n }' "$work/phases.tsv")

cat <<TABLE
#### Classes and linkage (\`-Xlog:class+load\`, \`-Xlog:startuptime\`)

| run | classes loaded | from the AOT cache or CDS | Jackson | picocli | log4j | jrun | LambdaForms | FFM downcall stubs | JVM created after |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(classes "$work/cold.log" "without the AOT cache" "$work/cold.start")
$(classes "$work/aot.log" "with the AOT cache" "$work/aot.start")

#### Main thread's time by phase, without the AOT cache (JFR, one sample a millisecond)

| phase | samples (ms) | share |
|---|---:|---:|
$(awk -F'\t' -v total="$total" '{ printf "| %s | %d | %.0f%% |\n", $1, $2, 100 * $2 / total }' "$work/phases.tsv")
| all samples | $total | 100% |
TABLE
