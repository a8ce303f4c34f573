package dev.jrun.internal.seccomp;

import dev.jrun.internal.asm.Assembler;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The architecture names of OCI seccomp profiles, and which ABIs of this machine a filter covers for them. */
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
        return Abi.X86_64.auditArch();
    }

    /**
     * {@return the ABIs a filter for a profile listing {@code architectures} covers, x86-64 first: x86-64
     * always, as libseccomp (so runc and crun) adds the native architecture to every filter; x32 and i386
     * when listed. Other architectures have no calls on this machine; a call through an ABI not covered
     * kills the process}
     *
     * @throws IllegalArgumentException for a name that is no architecture
     */
    static List<Abi> covered(List<String> architectures) {
        Assembler.requireX86_64("jrun's seccomp filter");
        for (String name : architectures) {
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown seccomp architecture \"" + name + "\"");
            }
        }
        return Arrays.stream(Abi.values())
                .filter(abi -> abi == Abi.X86_64 || architectures.contains(abi.ociName()))
                .toList();
    }
}
