package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.seccomp.ProfileRules.AbiRules;
import dev.jrun.internal.seccomp.ProfileRules.CompiledRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One ABI's part of a filter, entered with the system call number in A: the
 * calls the profile names in ascending number order. Runs of consecutive
 * numbers with the same unconditional verdict become one range check; a call
 * with argument conditions gets a block that tries its rules in profile order.
 * Each step of the walk is "if A > n, go to the next step", so every jump goes
 * forward and the walk ends in the default verdict, or, for a number above
 * every one the profile names, in ENOSYS (see {@link #compile}).
 */
final class SyscallWalk {

    private final int defaultVerdict;
    private final boolean wideArguments;
    private final List<BpfInstruction> program = new ArrayList<>();
    /** Every number up to this one has been decided; A is above it. */
    private long covered;

    private SyscallWalk(int defaultVerdict, boolean wideArguments, long covered) {
        this.defaultVerdict = defaultVerdict;
        this.wideArguments = wideArguments;
        this.covered = covered;
    }

    /**
     * {@return the walk over an ABI's rules}
     *
     * @param abi            the ABI, whose numbers start at 0, or for x32 at {@code __X32_SYSCALL_BIT}
     * @param rules          its rules
     * @param defaultVerdict the profile's default verdict
     * @param enosysAbove    whether a number above the highest the profile names fails with ENOSYS instead of
     *                       getting the default verdict, as in runc: such a call is newer than the profile, and a
     *                       C library falls back from a new call only when it fails with ENOSYS
     */
    static List<BpfInstruction> compile(Abi abi, AbiRules rules, int defaultVerdict, boolean enosysAbove) {
        long below = abi == Abi.X32 ? Libc.__X32_SYSCALL_BIT() - 1L : -1;
        SyscallWalk walk = new SyscallWalk(defaultVerdict, abi.wideArguments(), below);
        walk.emit(rules.byNumber());
        walk.end(enosysAbove ? rules.highestNamed() : OptionalInt.empty());
        return List.copyOf(walk.program);
    }

    private void emit(Map<Integer, List<CompiledRule>> rules) {
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
    }

    /** The numbers the walk passed: the default verdict, or ENOSYS above {@code highestNamed}. */
    private void end(OptionalInt highestNamed) {
        if (highestNamed.isPresent()) {
            program.add(BpfInstruction.jump(Libc.BPF_JGT(), highestNamed.getAsInt(), 1, 0));
            program.add(BpfInstruction.ret(defaultVerdict));
            program.add(BpfInstruction.ret(Libc.SECCOMP_RET_ERRNO() | Libc.ENOSYS()));
        } else {
            program.add(BpfInstruction.ret(defaultVerdict));
        }
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
            rule.conditions().forEach(condition -> ArgumentComparison.emit(asm, condition, next, wideArguments));
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
