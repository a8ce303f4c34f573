package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SeccompProfile.Condition;
import dev.jrun.model.SeccompProfile.Rule;
import dev.jrun.model.SeccompProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles a {@link SeccompProfile} into a classic BPF program.
 *
 * <p>The program checks the architecture (and, on x86-64, refuses the x32
 * ABI), then walks the system calls the profile names in ascending number
 * order. Runs of consecutive numbers with the same unconditional verdict
 * become one range check; a call with argument conditions gets a block that
 * tries its rules in profile order. Each step of the walk is "if A > n, go to
 * the next step", so every jump goes forward and the walk ends in the default
 * verdict.
 */
public final class SeccompCompiler {

    /**
     * Filters already compiled, by profile: a container is usually started many times with the
     * same profile, and compiling is most of the work of planning a launch.
     */
    private static final Map<SeccompProfile, SeccompFilter> COMPILED = new ConcurrentHashMap<>();
    private static final int COMPILED_LIMIT = 64;

    /** A rule for one system call: conditions that must all hold, and the verdict then. */
    private record CompiledRule(List<Condition> conditions, int verdict) {
    }

    private final SyscallTable table;
    private final int defaultVerdict;
    private final List<BpfInstruction> program = new ArrayList<>();
    private long covered = -1;

    private SeccompCompiler(SyscallTable table, int defaultVerdict) {
        this.table = table;
        this.defaultVerdict = defaultVerdict;
    }

    /**
     * {@return the profile compiled for this machine's architecture}
     *
     * @throws IllegalArgumentException naming what in the profile cannot be compiled: an
     *                                  unknown system call, architecture or flag, or a notification
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
        boolean otherArchitectures = Architectures.checkNativeListed(profile.architectures());
        int defaultVerdict = Verdicts.of(profile.defaultAction(), profile.defaultErrnoRet());
        SeccompCompiler compiler = new SeccompCompiler(SyscallTable.nativeTable(), defaultVerdict);
        Map<Integer, List<CompiledRule>> rules = compiler.rulesByNumber(profile.syscalls(), otherArchitectures);
        List<BpfInstruction> program = compiler.emit(rules);
        if (program.size() > Libc.BPF_MAXINSNS()) {
            throw new IllegalArgumentException("seccomp profile compiles to " + program.size()
                    + " BPF instructions, more than the kernel's limit of " + Libc.BPF_MAXINSNS());
        }
        List<String> flagNames = AgentRules.flagNames(profile);
        return new SeccompFilter(program, FilterFlags.parse(flagNames), flagNames);
    }

    /** {@return the architecture names ({@code SCMP_ARCH_*}) a profile may list, sorted} */
    public static List<String> knownArchitectures() {
        return Architectures.known();
    }

    /** {@return the flags ({@code SECCOMP_FILTER_FLAG_*}) a profile may have, sorted: every flag jrun knows} */
    public static List<String> supportedFlags() {
        return FilterFlags.supported();
    }

    private Map<Integer, List<CompiledRule>> rulesByNumber(List<Rule> rules, boolean otherArchitectures) {
        Map<Integer, List<CompiledRule>> byNumber = new TreeMap<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            int verdict = Verdicts.of(rule.action(), rule.errnoRet());
            for (String name : rule.names()) {
                Integer number = table.number(name).orElse(null);
                if (number == null && !otherArchitectures) {
                    throw new IllegalArgumentException("seccomp profile rule " + (i + 1) + " (" + rule.action().ociName()
                            + ") names unknown system call \"" + name + "\": " + Architectures.NATIVE + " has no such call");
                }
                if (number != null) {
                    byNumber.computeIfAbsent(number, n -> new ArrayList<>()).add(new CompiledRule(rule.args(), verdict));
                }
            }
        }
        return byNumber;
    }

    private List<BpfInstruction> emit(Map<Integer, List<CompiledRule>> rules) {
        checkArchitecture();
        int rangeStart = -1;
        int rangeEnd = -1;
        int rangeVerdict = 0;
        for (Map.Entry<Integer, List<CompiledRule>> entry : rules.entrySet()) {
            int number = entry.getKey();
            List<CompiledRule> forNumber = entry.getValue();
            CompiledRule first = forNumber.getFirst();
            boolean unconditional = first.conditions().isEmpty();
            if (unconditional && first.verdict() == defaultVerdict) {
                continue; // the walk's end gives it the same verdict
            }
            if (unconditional && rangeStart >= 0 && number == rangeEnd + 1 && first.verdict() == rangeVerdict) {
                rangeEnd = number;
                continue;
            }
            if (rangeStart >= 0) {
                emitRange(rangeStart, rangeEnd, rangeVerdict);
                rangeStart = -1;
            }
            if (unconditional) {
                rangeStart = number;
                rangeEnd = number;
                rangeVerdict = first.verdict();
            } else {
                emitBlock(number, forNumber);
            }
        }
        if (rangeStart >= 0) {
            emitRange(rangeStart, rangeEnd, rangeVerdict);
        }
        program.add(BpfInstruction.ret(defaultVerdict));
        return List.copyOf(program);
    }

    /** Kills a call made through another architecture's or the x32 ABI, whose numbers mean other calls. */
    private void checkArchitecture() {
        int kill = Libc.SECCOMP_RET_KILL_PROCESS();
        program.add(BpfInstruction.loadWord(SeccompData.ARCH));
        program.add(BpfInstruction.jump(Libc.BPF_JEQ(), Architectures.nativeAuditArch(), 1, 0));
        program.add(BpfInstruction.ret(kill));
        program.add(BpfInstruction.loadWord(SeccompData.NR));
        program.add(BpfInstruction.jump(Libc.BPF_JGE(), Libc.__X32_SYSCALL_BIT(), 0, 1));
        program.add(BpfInstruction.ret(kill));
    }

    /** Numbers first..last get {@code verdict}; A holds the number and is above every number covered so far. */
    private void emitRange(int first, int last, int verdict) {
        if (first == covered + 1) {
            program.add(BpfInstruction.jump(Libc.BPF_JGT(), last, 1, 0));
            program.add(BpfInstruction.ret(verdict));
        } else {
            program.add(BpfInstruction.jump(Libc.BPF_JGT(), last, 3, 0));
            program.add(BpfInstruction.jump(Libc.BPF_JGE(), first, 0, 1));
            program.add(BpfInstruction.ret(verdict));
            program.add(BpfInstruction.ret(defaultVerdict));
        }
        covered = last;
    }

    private void emitBlock(int number, List<CompiledRule> rules) {
        List<BpfInstruction> block = new ArrayList<>();
        if (number != covered + 1) {
            block.add(BpfInstruction.jump(Libc.BPF_JGE(), number, 1, 0));
            block.add(BpfInstruction.ret(defaultVerdict));
        }
        block.addAll(ruleBlock(rules));
        if (block.size() <= BpfInstruction.MAX_JUMP) {
            program.add(BpfInstruction.jump(Libc.BPF_JGT(), number, block.size(), 0));
        } else {
            program.add(BpfInstruction.jump(Libc.BPF_JGT(), number, 0, 1));
            program.add(BpfInstruction.jumpAlways(block.size()));
        }
        program.addAll(block);
        covered = number;
    }

    /** The rules of one call, tried in order; falls to the default verdict when none applies. */
    private List<BpfInstruction> ruleBlock(List<CompiledRule> rules) {
        BpfAssembler asm = new BpfAssembler();
        for (CompiledRule rule : rules) {
            BpfAssembler.Label next = new BpfAssembler.Label();
            rule.conditions().forEach(condition -> ArgumentComparison.emit(asm, condition, next));
            asm.add(BpfInstruction.ret(rule.verdict()));
            asm.bind(next);
            if (rule.conditions().isEmpty()) {
                return asm.build(); // the rules after an unconditional one never apply
            }
        }
        asm.add(BpfInstruction.ret(defaultVerdict));
        return asm.build();
    }
}
