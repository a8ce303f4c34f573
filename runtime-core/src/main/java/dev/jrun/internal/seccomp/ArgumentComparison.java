package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SeccompProfile.Condition;
import dev.jrun.model.SeccompProfile.Operator;

/**
 * The BPF for one argument condition: classic BPF compares 32-bit words, so a
 * 64-bit unsigned comparison looks at the high halves first and at the low
 * halves only when the high ones are equal. For an ABI whose calls see only
 * the low half, the condition has been narrowed to it ({@link ThirtyTwoBitArguments})
 * and only the low halves are compared.
 */
final class ArgumentComparison {

    private ArgumentComparison() {
    }

    /**
     * Appends code that falls through when {@code condition} holds and jumps to {@code fail} when not.
     *
     * @param wide whether the calls see all 64 bits of the argument; if not, the condition's values fit in 32
     */
    static void emit(BpfAssembler asm, Condition condition, BpfAssembler.Label fail, boolean wide) {
        BpfAssembler.Label pass = new BpfAssembler.Label();
        if (wide) {
            emitHigh(asm, condition, fail, pass);
        }
        emitLow(asm, condition, fail);
        asm.bind(pass);
    }

    /** The high halves: decides the condition unless they are equal, then falls through to the low halves. */
    private static void emitHigh(BpfAssembler asm, Condition condition, BpfAssembler.Label fail, BpfAssembler.Label pass) {
        int high = (int) (condition.value() >>> 32);
        switch (condition.op()) {
            case EQUAL -> {
                loadHigh(asm, condition);
                asm.jump(Libc.BPF_JEQ(), high, null, fail);
            }
            case NOT_EQUAL -> {
                loadHigh(asm, condition);
                asm.jump(Libc.BPF_JEQ(), high, null, pass);
            }
            case GREATER_THAN, GREATER_OR_EQUAL -> {
                loadHigh(asm, condition);
                asm.jump(Libc.BPF_JGT(), high, pass, null);
                asm.jump(Libc.BPF_JEQ(), high, null, fail);
            }
            case LESS_THAN, LESS_OR_EQUAL -> {
                loadHigh(asm, condition);
                asm.jump(Libc.BPF_JGT(), high, fail, null);
                asm.jump(Libc.BPF_JEQ(), high, null, pass);
            }
            case MASKED_EQUAL -> {
                int expectedHigh = (int) (condition.valueTwo() >>> 32);
                if (high != 0 || expectedHigh != 0) { // a mask of 32 bits or fewer leaves nothing to check up there
                    loadHigh(asm, condition);
                    asm.add(BpfInstruction.and(high));
                    asm.jump(Libc.BPF_JEQ(), expectedHigh, null, fail);
                }
            }
        }
    }

    /** The low halves, compared once the high halves are equal (or not there). */
    private static void emitLow(BpfAssembler asm, Condition condition, BpfAssembler.Label fail) {
        int low = (int) condition.value();
        asm.add(BpfInstruction.loadWord(SeccompData.argLow(condition.index())));
        switch (condition.op()) {
            case EQUAL -> asm.jump(Libc.BPF_JEQ(), low, null, fail);
            case NOT_EQUAL -> asm.jump(Libc.BPF_JEQ(), low, fail, null);
            case GREATER_THAN, GREATER_OR_EQUAL ->
                    asm.jump(condition.op() == Operator.GREATER_THAN ? Libc.BPF_JGT() : Libc.BPF_JGE(), low, null, fail);
            // A < v fails when A >= v; A <= v fails when A > v.
            case LESS_THAN, LESS_OR_EQUAL ->
                    asm.jump(condition.op() == Operator.LESS_THAN ? Libc.BPF_JGE() : Libc.BPF_JGT(), low, fail, null);
            case MASKED_EQUAL -> {
                asm.add(BpfInstruction.and(low));
                asm.jump(Libc.BPF_JEQ(), (int) condition.valueTwo(), null, fail);
            }
        }
    }

    private static void loadHigh(BpfAssembler asm, Condition condition) {
        asm.add(BpfInstruction.loadWord(SeccompData.argHigh(condition.index())));
    }
}
