#!/usr/bin/env python3
"""Splits the main thread's JFR execution samples of one jrun command into start-up phases.

Usage: jfr-phases.py RECORDING.jfr JFR_TOOL
Prints "phase<TAB>samples" lines. A sample belongs to the first phase whose marker appears
in its stack, markers checked in the order below (innermost work first: FFM linking and
class loading count as themselves, whichever phase caused them).
"""
import json
import subprocess
import sys
from collections import Counter

PHASES = [
    ("FFM linking (downcall handles)", ("jdk.internal.foreign.abi.", "java.lang.foreign.Linker.", "jdk.internal.foreign.")),
    ("class loading and linking", ("java.lang.ClassLoader.", "jdk.internal.loader.", "java.lang.Class.forName")),
    ("log4j", ("org.apache.logging.",)),
    ("JSON (config.json, state files)", ("com.fasterxml.jackson.", "dev.jrun.oci.OciJson.", "dev.jrun.oci.JsonValue")),
    ("argument parsing (picocli)", ("picocli.CommandLine.<init>", "picocli.CommandLine.addSubcommand",
                                    "picocli.CommandLine$Interpreter.parse", "picocli.CommandLine.parseArgs")),
    ("config mapping (ConfigMapper)", ("dev.jrun.oci.ConfigMapper.",)),
    ("host facts", ("dev.jrun.internal.plan.HostFacts.", "dev.jrun.internal.cgroup.CgroupHost.")),
    ("plan compile", ("dev.jrun.internal.plan.PlanCompiler.", "dev.jrun.Container.plan")),
    ("stub emit", ("dev.jrun.internal.stub.",)),
    ("spawn and set-up (Launcher)", ("dev.jrun.internal.launch.",)),
    ("wait and exit", ("waitFor", "java.lang.Shutdown.", "java.lang.System.exit")),
    ("signals and terminal (Foreground)", ("dev.jrun.Foreground.",)),
    ("main class and JDK start-up", ("sun.launcher.LauncherHelper.",)),
]


def frames(event):
    stack = event["values"].get("stackTrace") or {}
    for frame in stack.get("frames", []):
        method = frame["method"]
        yield method["type"]["name"].replace("/", ".") + "." + method["name"]


def phase(names):
    for label, markers in PHASES:
        if any(name.startswith(m) or m in name for name in names for m in markers):
            return label
    return "other (interpreting jrun's and the JDK's code)"


def main():
    recording, jfr = sys.argv[1], sys.argv[2]
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "512", "--events", "jdk.ExecutionSample", recording],
                         check=True, capture_output=True, text=True).stdout
    counts = Counter()
    for event in json.loads(out)["recording"]["events"]:
        if event["values"]["sampledThread"]["javaName"] != "main":
            continue
        counts[phase(list(frames(event)))] += 1
    for label, n in counts.most_common():
        print(f"{label}\t{n}")


main()
