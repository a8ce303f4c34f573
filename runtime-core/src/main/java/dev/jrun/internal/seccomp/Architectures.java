package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.asm.Assembler;

import java.util.List;
import java.util.Set;

/** The architecture names of OCI seccomp profiles, and which one this machine is. */
public final class Architectures {

    /** The OCI name of the only architecture jrun generates code for. */
    public static final String NATIVE = "SCMP_ARCH_X86_64";

    private static final Set<String> KNOWN = Set.of(
            "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
            "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
            "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
            "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
            "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");

    private Architectures() {
    }

    /** {@return every architecture name a profile may list, sorted} */
    static List<String> known() {
        return KNOWN.stream().sorted().toList();
    }

    /** {@return the AUDIT_ARCH value seccomp_data.arch has for a native system call} */
    static int nativeAuditArch() {
        Assembler.requireX86_64("jrun's seccomp filter");
        return Libc.AUDIT_ARCH_X86_64();
    }

    /**
     * Checks that a profile applies to this machine.
     *
     * @return whether the profile also names other architectures, whose system call names it may contain
     * @throws IllegalArgumentException for an unknown name, or a list without the native architecture
     */
    static boolean checkNativeListed(List<String> architectures) {
        for (String name : architectures) {
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown seccomp architecture \"" + name + "\"");
            }
        }
        if (!architectures.isEmpty() && !architectures.contains(NATIVE)) {
            throw new IllegalArgumentException("the seccomp profile is for " + String.join(", ", architectures)
                    + ", not for this machine's " + NATIVE);
        }
        return architectures.stream().anyMatch(name -> !name.equals(NATIVE));
    }
}
