package dev.jrun.internal.plan;

import dev.jrun.internal.flags.Flag;
import dev.jrun.launch.Arg;
import dev.jrun.model.SecurityLabels;

import java.nio.charset.StandardCharsets;

import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Arg.text;
import static dev.jrun.launch.Syscall.CLOSE;
import static dev.jrun.launch.Syscall.OPENAT;
import static dev.jrun.launch.Syscall.WRITE;

/**
 * The steps that give the command its AppArmor profile and SELinux label on {@code execve}, as
 * runc does: each is written to the process's exec attribute in the container's {@code /proc},
 * still as root and before the seccomp filter, and only on a host with that module enabled (on
 * the others the label is left out, so one configuration runs on both).
 */
final class SecurityLabelSteps {

    /** AppArmor's own attribute directory (Linux 5.8 on), so a stacked module cannot take the write. */
    static final String APPARMOR_EXEC = "/proc/thread-self/attr/apparmor/exec";
    static final String SELINUX_EXEC = "/proc/thread-self/attr/exec";

    private final PlanBuilder plan;

    SecurityLabelSteps(PlanBuilder plan) {
        this.plan = plan;
    }

    /** Adds the steps for the labels the host's {@code modules} can apply. */
    void add(SecurityLabels labels, SecurityModules modules) {
        if (modules.appArmor()) {
            labels.appArmorProfile().ifPresent(profile ->
                    write(APPARMOR_EXEC, "exec " + profile, "change to AppArmor profile " + profile + " on execve"));
        }
        if (modules.selinux()) {
            labels.selinuxLabel().ifPresent(label ->
                    write(SELINUX_EXEC, label, "take SELinux label " + label + " on execve"));
        }
    }

    private void write(String file, String value, String what) {
        int open = plan.add("open " + file + " to " + what, OPENAT, Flag.AT_FDCWD.arg(), text(file),
                Flag.all(Flag.O_WRONLY, Flag.O_CLOEXEC), number(0));
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        plan.add(what, WRITE, new Arg.ResultOf(open), new Arg.Bytes(bytes, '"' + value + '"'), number(bytes.length));
        plan.add("close " + file, CLOSE, new Arg.ResultOf(open));
    }
}
