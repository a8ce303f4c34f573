package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;

/**
 * The system call conventions an x86-64 kernel takes, which a seccomp filter
 * tells apart: {@code seccomp_data.arch} is {@code AUDIT_ARCH_X86_64} for
 * x86-64 and x32 (whose numbers have {@code __X32_SYSCALL_BIT} set) and
 * {@code AUDIT_ARCH_I386} for the i386 ABI ({@code int 0x80}).
 */
public enum Abi {
    /** The native ABI, which every filter covers. */
    X86_64("SCMP_ARCH_X86_64", Libc.AUDIT_ARCH_X86_64(), true),
    /** x86-64's registers with 32-bit pointers; its calls take 64-bit registers, as x86-64's do. */
    X32("SCMP_ARCH_X32", Libc.AUDIT_ARCH_X86_64(), true),
    /** 32-bit x86: a call sees only the low 32 bits of each argument register. */
    I386("SCMP_ARCH_X86", Libc.AUDIT_ARCH_I386(), false);

    private final String ociName;
    private final int auditArch;
    private final boolean wideArguments;

    Abi(String ociName, int auditArch, boolean wideArguments) {
        this.ociName = ociName;
        this.auditArch = auditArch;
        this.wideArguments = wideArguments;
    }

    /** {@return the architecture's name in a profile, e.g. {@code SCMP_ARCH_X86}} */
    public String ociName() {
        return ociName;
    }

    /** {@return the {@code seccomp_data.arch} value of a call through this ABI} */
    public int auditArch() {
        return auditArch;
    }

    /** {@return whether the calls see all 64 bits of an argument; if not, only the low 32} */
    boolean wideArguments() {
        return wideArguments;
    }

    /** {@return the system calls of this ABI, from its generated bindings} */
    public SyscallTable table() {
        return switch (this) {
            case X86_64 -> SyscallTable.nativeTable();
            case X32 -> SyscallTable.x32();
            case I386 -> SyscallTable.i386();
        };
    }
}
