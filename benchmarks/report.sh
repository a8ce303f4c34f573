#!/usr/bin/env bash
# Turns the measurements of benchmarks/run.sh into docs/benchmarks.md (on stdout).
# Usage: report.sh CLI_CSV JMH_CSV LEAKS_CSV RSS_JRUN_KB RSS_RUNC_KB RSS_CRUN_KB COMMANDS_CSV BREAKDOWN_MD
set -euo pipefail
cli_csv=$1 jmh_csv=$2 leaks_csv=$3 rss_jrun=$4 rss_runc=$5 rss_crun=$6 commands_csv=$7 breakdown_md=$8

# hyperfine's mean for a command name, in milliseconds.
cli_ms() { awk -F, -v name="$1" '$1 == name { printf "%.2f", $2 * 1000 }' "$cli_csv"; }
# A JMH score (benchmark method, optional param value, optional secondary metric suffix).
jmh() {
    tr -d '"\r' < "$jmh_csv" | awk -F, -v bench="$1" -v param="${2:-}" '
        $1 == bench && (param == "" || $8 == param) { printf "%.3f", $5; exit }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

crun=$(cli_ms "crun run")
lib=$(jmh dev.jrun.benchmarks.StartToExitBenchmark.startToExit)

cat <<HEADER
# Benchmarks

Regenerate with \`bash benchmarks/run.sh\` (as root, after the README's build);
it measures everything below in one run on one busybox rootfs and rewrites
this file. Ratios are what matter: absolute times move with the machine.

## Machine

- $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
- Linux $(uname -r)
- $(java_version=$("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -version 2>&1 | head -1); echo "$java_version")
- $(runc --version | head -1), $(crun --version | head -1), bwrap $(bwrap --version | awk '{print $2}'), $(hyperfine --version)
- load average when the report was written: $(cut -d' ' -f1-3 /proc/loadavg) (other work on a shared machine slows every contender, the lighter ones least)

## Results

### Whole processes: \`/bin/true\` in the rootfs, start to exit (hyperfine)

| command | mean (ms) | vs crun run |
|---|---:|---:|
HEADER
while IFS=, read -r name mean _; do
    [ "$name" = command ] && continue
    ms=$(awk -v m="$mean" 'BEGIN { printf "%.2f", m * 1000 }')
    echo "| $name | $ms | $(ratio "$ms" "$crun")x |"
done < "$cli_csv"

cat <<COMMANDS

### Each CLI command, jrun vs runc on the same bundle (hyperfine medians)

The target (issue 11) is 3x runc's same command, and 2x for podman with each as
its runtime. jrun's short commands (\`state\`, \`start\`, \`kill\`, \`delete\`,
\`--version\`) are answered by the resident helper, which the warm-up runs started;
the rows marked "no helper" are the same commands with \`JRUN_HELPER=off\`, a JVM
each. CPU is user + system time (of podman and everything it starts, in the
podman row; not the helper's, which runs apart), which other load on the
machine disturbs less than wall time.

| command | jrun (ms) | runc (ms) | jrun / runc | jrun CPU (ms) | runc CPU (ms) |
|---|---:|---:|---:|---:|---:|
COMMANDS
# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds); rows come in jrun/runc pairs.
awk -F, '
    NR % 2 == 1 { name = substr($1, 6); jrun = $4 * 1000; jcpu = ($5 + $6) * 1000 }
    NR % 2 == 0 { printf "| %s | %.1f | %.1f | %.2fx | %.0f | %.0f |\n", name, jrun, $4 * 1000, jrun / ($4 * 1000), jcpu, ($5 + $6) * 1000 }
' "$commands_csv"

cat <<BREAKDOWN

### Where \`jrun run -b\` spends its time (\`benchmarks/breakdown.sh\`)

BREAKDOWN
cat "$breakdown_md"
echo
cat "$(dirname "$0")/startup-before.md"
echo
cat "$(dirname "$0")/startup-remaining.md"

cat <<LIBRARY

### Library: containers started from a warm JVM (JMH)

| measurement | result | vs crun run |
|---|---:|---:|
| start-to-exit of \`/bin/true\`, one at a time | $lib ms | $(ratio "$lib" "$crun")x |
LIBRARY
for n in 1 8 32; do
    batch=$(jmh dev.jrun.benchmarks.ConcurrentStartBenchmark.startAll "$n")
    per=$(awk -v b="$batch" -v n="$n" 'BEGIN { printf "%.3f", b / n }')
    rate=$(awk -v b="$batch" -v n="$n" 'BEGIN { printf "%.0f", n * 1000 / b }')
    echo "| $n started concurrently: $batch ms for all, $rate containers/s | $per ms each | $(ratio "$per" "$crun")x |"
done
alloc=$(jmh dev.jrun.benchmarks.StartToExitBenchmark.startToExit:gc.alloc.rate.norm)
echo "| heap allocated per container | $(awk -v b="$alloc" 'BEGIN { printf "%.1f KB", b / 1024 }') | |"
echo "| compile the launch plan | $(jmh dev.jrun.benchmarks.PlanBenchmark.compilePlan) µs | |"
echo "| emit the launch stub | $(jmh dev.jrun.benchmarks.PlanBenchmark.emitStub) µs | |"

cat <<MEMORY

### Memory: peak RSS of the runtime's process while its container runs

| runtime | peak RSS | vs runc |
|---|---:|---:|
| jrun run -b | $((rss_jrun / 1024)) MB | $(ratio "$rss_jrun" "$rss_runc")x |
| runc run | $((rss_runc / 1024)) MB | 1.00x |
| crun run | $((rss_crun / 1024)) MB | $(ratio "$rss_crun" "$rss_runc")x |

### Library: 1,000 containers one after another from one JVM (\`LeakCheck\`)

| containers | descriptors | threads | mounts | child processes | RSS (MB) |
|---:|---:|---:|---:|---:|---:|
$(awk -F, 'NR > 1 { printf "| %s | %s | %s | %s | %s | %.0f |\n", $1, $2, $3, $4, $5, $6 / 1024 }' "$leaks_csv")

## Commands

- crun: \`crun run -b BUNDLE ID\`, runc: \`runc run -b BUNDLE ID\` (BUNDLE: \`runc spec\` with \`/bin/true\`, not a terminal)
- bwrap: \`bwrap --unshare-all --ro-bind ROOTFS / --proc /proc --dev /dev /bin/true\`
- jrun: \`./jrun run -b BUNDLE ID\` and \`./jrun run --rootfs ROOTFS -- /bin/true\`; the library: \`dev.jrun.benchmarks.*\` (JMH, \`-prof gc\`)
- podman: \`podman --runtime RUNTIME run --rm IMAGE true\`, IMAGE the rootfs imported, podman's storage and a \`containers.conf\` (cgroupfs, no default ulimits) of the run's own
- all inside \`unshare --mount\` with \`/sys/fs/cgroup/unified\` unmounted (crun refuses the hybrid layout otherwise)
MEMORY
