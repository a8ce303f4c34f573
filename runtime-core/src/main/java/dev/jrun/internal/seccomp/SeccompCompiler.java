package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.seccomp.ProfileRules.AbiRules;
import dev.jrun.model.SeccompProfile;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles a {@link SeccompProfile} into a classic BPF program.
 *
 * <p>The program first tells the ABIs apart: a call through x86-64, through
 * x32 ({@code AUDIT_ARCH_X86_64} with {@code __X32_SYSCALL_BIT} set) or through
 * i386 ({@code AUDIT_ARCH_I386}). x86-64 is always filtered; x32 and i386 are
 * when the profile lists {@code SCMP_ARCH_X32} or {@code SCMP_ARCH_X86}, and a
 * call through an ABI the profile does not list kills the process, as
 * libseccomp's filters do. Each filtered ABI then gets a {@link SyscallWalk}
 * over its calls, named with its own table ({@link ProfileRules} says which
 * names are skipped and which refused).
 *
 * <p>When the default action stops calls (kill, trap or an errno other than
 * ENOSYS), a call numbered above the highest the profile names for its ABI
 * fails with ENOSYS instead, as in runc: such a call is newer than the
 * profile, and C libraries fall back from a new call (clone3, faccessat2)
 * only when it fails with ENOSYS. Numbers at or below it that the profile
 * does not name get the default action.
 */
public final class SeccompCompiler {

    /**
     * Filters already compiled, by profile: a container is usually started many times with the
     * same profile, and compiling is most of the work of planning a launch.
     */
    private static final Map<SeccompProfile, SeccompFilter> COMPILED = new ConcurrentHashMap<>();
    private static final int COMPILED_LIMIT = 64;

    private SeccompCompiler() {
    }

    /**
     * {@return the profile compiled for this machine's ABIs}
     *
     * @throws IllegalArgumentException naming what in the profile cannot be compiled: an
     *                                  unknown architecture or flag, a name no ABI of this machine has
     *                                  where skipping it could let a call through, or a notification
     *                                  jrun cannot wait for (see {@link AgentRules})
     */
    public static SeccompFilter compile(SeccompProfile profile) {
        if (COMPILED.size() >= COMPILED_LIMIT) {
            COMPILED.clear();
        }
        return COMPILED.computeIfAbsent(profile, SeccompCompiler::compileAnew);
    }

    private static SeccompFilter compileAnew(SeccompProfile profile) {
        AgentRules.check(profile);
        List<Abi> covered = Architectures.covered(profile.architectures());
        Map<Abi, AbiRules> rules = ProfileRules.resolve(profile, covered);
        int defaultVerdict = Verdicts.of(profile.defaultAction(), profile.defaultErrnoRet());
        boolean enosysAbove = Verdicts.stops(defaultVerdict)
                && defaultVerdict != (Libc.SECCOMP_RET_ERRNO() | Libc.ENOSYS());
        Map<Abi, List<BpfInstruction>> walks = new EnumMap<>(Abi.class);
        rules.forEach((abi, abiRules) -> walks.put(abi, SyscallWalk.compile(abi, abiRules, defaultVerdict, enosysAbove)));

        NavigableMap<Integer, Abi> sections = new TreeMap<>();
        List<BpfInstruction> program = layOut(walks, sections);
        if (program.size() > Libc.BPF_MAXINSNS()) {
            throw new IllegalArgumentException("seccomp profile compiles to " + program.size()
                    + " BPF instructions, more than the kernel's limit of " + Libc.BPF_MAXINSNS());
        }
        List<String> flagNames = AgentRules.flagNames(profile);
        return new SeccompFilter(program, FilterFlags.parse(flagNames), flagNames, sections);
    }

    /**
     * {@return the architecture checks, which kill a call through an ABI without a walk and send the others
     * to theirs, then the walks}
     *
     * @param sections filled with where each ABI's instructions start
     */
    private static List<BpfInstruction> layOut(Map<Abi, List<BpfInstruction>> walks, NavigableMap<Integer, Abi> sections) {
        int kill = Libc.SECCOMP_RET_KILL_PROCESS();
        BpfAssembler asm = new BpfAssembler();
        Map<Abi, BpfAssembler.Label> starts = new EnumMap<>(Abi.class);
        walks.keySet().forEach(abi -> starts.put(abi, new BpfAssembler.Label()));
        BpfAssembler.Label x86Family = new BpfAssembler.Label();
        BpfAssembler.Label killIt = new BpfAssembler.Label();

        sections.put(asm.size(), Abi.X86_64);
        asm.add(BpfInstruction.loadWord(SeccompData.ARCH));
        asm.jump(Libc.BPF_JEQ(), Abi.X86_64.auditArch(), x86Family, null);
        if (starts.containsKey(Abi.I386)) {
            asm.jump(Libc.BPF_JEQ(), Abi.I386.auditArch(), null, killIt);
            asm.jumpAlways(starts.get(Abi.I386));
        }
        asm.bind(killIt);
        asm.add(BpfInstruction.ret(kill));

        // x86-64 and x32 share AUDIT_ARCH_X86_64: an x32 number has __X32_SYSCALL_BIT set.
        asm.bind(x86Family);
        asm.add(BpfInstruction.loadWord(SeccompData.NR));
        asm.jump(Libc.BPF_JGE(), Libc.__X32_SYSCALL_BIT(), null, starts.get(Abi.X86_64));
        if (starts.containsKey(Abi.X32)) {
            asm.jumpAlways(starts.get(Abi.X32));
        } else {
            asm.add(BpfInstruction.ret(kill));
        }

        walks.forEach((abi, walk) -> {
            asm.bind(starts.get(abi));
            sections.put(asm.size(), abi);
            if (abi == Abi.I386) {
                asm.add(BpfInstruction.loadWord(SeccompData.NR)); // A holds the architecture on the way here
            }
            asm.addAll(walk);
        });
        return asm.build();
    }

    /** {@return the architecture names ({@code SCMP_ARCH_*}) a profile may list, sorted} */
    public static List<String> knownArchitectures() {
        return Architectures.known();
    }

    /** {@return the flags ({@code SECCOMP_FILTER_FLAG_*}) a profile may have, sorted: every flag jrun knows} */
    public static List<String> supportedFlags() {
        return FilterFlags.supported();
    }
}
