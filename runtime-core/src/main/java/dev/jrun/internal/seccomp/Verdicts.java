package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.libc.Errno;
import dev.jrun.model.SeccompProfile.Action;

import java.util.OptionalInt;

/** The values a seccomp filter returns ({@code SECCOMP_RET_*} from the bindings), made from and shown as OCI actions. */
final class Verdicts {

    private Verdicts() {
    }

    /** {@return the filter's return value for an action} */
    static int of(Action action, OptionalInt errnoRet) {
        int data = errnoRet.orElse(Libc.EPERM()) & Libc.SECCOMP_RET_DATA();
        return switch (action) {
            case KILL_PROCESS -> Libc.SECCOMP_RET_KILL_PROCESS();
            case KILL_THREAD -> Libc.SECCOMP_RET_KILL_THREAD();
            case TRAP -> Libc.SECCOMP_RET_TRAP();
            case ERRNO -> Libc.SECCOMP_RET_ERRNO() | data;
            case TRACE -> Libc.SECCOMP_RET_TRACE() | data;
            case ALLOW -> Libc.SECCOMP_RET_ALLOW();
            case LOG -> Libc.SECCOMP_RET_LOG();
            case NOTIFY -> Libc.SECCOMP_RET_USER_NOTIF();
        };
    }

    /** {@return whether the kernel lets a call with this verdict through} */
    static boolean letsThrough(int verdict) {
        int action = verdict & Libc.SECCOMP_RET_ACTION_FULL();
        return action == Libc.SECCOMP_RET_ALLOW() || action == Libc.SECCOMP_RET_LOG();
    }

    /**
     * {@return whether the kernel stops a call with this verdict, whatever happens around it: it kills,
     * traps or fails the call (a tracer or a seccomp agent might let it through, so TRACE and NOTIFY do not)}
     */
    static boolean stops(int verdict) {
        int action = verdict & Libc.SECCOMP_RET_ACTION_FULL();
        return action == Libc.SECCOMP_RET_KILL_PROCESS() || action == Libc.SECCOMP_RET_KILL_THREAD()
                || action == Libc.SECCOMP_RET_TRAP() || action == Libc.SECCOMP_RET_ERRNO();
    }

    /** {@return whether the kernel asks the filter's listener (a seccomp agent) what to do with the call} */
    static boolean asksAgent(int verdict) {
        return (verdict & Libc.SECCOMP_RET_ACTION_FULL()) == Libc.SECCOMP_RET_USER_NOTIF();
    }

    /** {@return the verdict in words: {@code ALLOW}, {@code ERRNO(EPERM)}, {@code KILL_PROCESS}...} */
    static String describe(int verdict) {
        int action = verdict & Libc.SECCOMP_RET_ACTION_FULL();
        int data = verdict & Libc.SECCOMP_RET_DATA();
        if (action == Libc.SECCOMP_RET_KILL_PROCESS()) {
            return "KILL_PROCESS";
        } else if (action == Libc.SECCOMP_RET_KILL_THREAD()) {
            return "KILL_THREAD";
        } else if (action == Libc.SECCOMP_RET_TRAP()) {
            return "TRAP";
        } else if (action == Libc.SECCOMP_RET_ERRNO()) {
            return "ERRNO(" + Errno.name(data) + ")";
        } else if (action == Libc.SECCOMP_RET_TRACE()) {
            return "TRACE(" + data + ")";
        } else if (action == Libc.SECCOMP_RET_USER_NOTIF()) {
            return "NOTIFY";
        } else if (action == Libc.SECCOMP_RET_LOG()) {
            return "LOG";
        } else if (action == Libc.SECCOMP_RET_ALLOW()) {
            return "ALLOW";
        }
        return String.format("0x%08x", verdict);
    }
}
