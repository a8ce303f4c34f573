package dev.jrun.internal.plan;

import dev.jrun.internal.flags.Flag;
import dev.jrun.launch.Arg;
import dev.jrun.model.Namespace;
import dev.jrun.model.TimeOffsets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Arg.text;
import static dev.jrun.launch.Syscall.CLOSE;
import static dev.jrun.launch.Syscall.OPENAT;
import static dev.jrun.launch.Syscall.UNSHARE;
import static dev.jrun.launch.Syscall.WRITE;

/**
 * The steps that give the container a time namespace of its own, run by the stub before it clones
 * the first process. A new time namespace holds the caller's children only, and its clocks can be
 * moved only until its first process exists: {@code /proc/self/timens_offsets} of the stub, which
 * names the namespace its children get, is written between the {@code unshare} and the clone.
 */
final class TimeNamespaceSteps {

    private static final String OFFSETS_FILE = "/proc/self/timens_offsets";

    private TimeNamespaceSteps() {
    }

    /** Adds the steps: the namespace, then its offsets if it has any. */
    static void add(PlanBuilder plan, TimeOffsets offsets) {
        // CLONE_NEWTIME shares its bit with clone()'s exit signal: only unshare can ask for it.
        plan.add("create a time namespace for the first process", UNSHARE,
                new Flag("CLONE_NEWTIME", Namespace.TIME.cloneFlag()).arg());
        if (!offsets.movesAnyClock()) {
            return;
        }
        String lines = offsetLines(offsets);
        int open = plan.add("open " + OFFSETS_FILE, OPENAT, Flag.AT_FDCWD.arg(), text(OFFSETS_FILE),
                Flag.all(Flag.O_WRONLY, Flag.O_CLOEXEC), number(0));
        plan.add("set the time namespace's clock offsets (" + lines.strip().replace("\n", ", ") + ")", WRITE,
                new Arg.ResultOf(open), text(lines), number(lines.length()));
        plan.add("close " + OFFSETS_FILE, CLOSE, new Arg.ResultOf(open));
    }

    /** The file's format: a line "CLOCK SECONDS NANOSECONDS" per clock moved, nanoseconds never negative. */
    private static String offsetLines(TimeOffsets offsets) {
        List<String> lines = new ArrayList<>();
        line("monotonic", offsets.monotonic(), lines);
        line("boottime", offsets.boottime(), lines);
        return String.join("", lines);
    }

    private static void line(String clock, Duration offset, List<String> lines) {
        if (!offset.isZero()) {
            lines.add(clock + " " + offset.getSeconds() + " " + offset.getNano() + "\n");
        }
    }
}
