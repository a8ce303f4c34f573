package dev.jrun.internal.sys;

/** This process's effective user and group ids. */
public final class Credentials {

    private Credentials() {
    }

    /** {@return the effective user id, 0 for root} */
    public static long effectiveUid() {
        return RawSyscall.GETEUID.call("");
    }

    /** {@return the effective group id} */
    public static long effectiveGid() {
        return RawSyscall.GETEGID.call("");
    }
}
