package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SeccompProfile.Condition;
import dev.jrun.model.SeccompProfile.Operator;

/**
 * The BPF for one argument condition: classic BPF compares 32-bit words, so a
 * 64-bit unsigned comparison looks at the high halves first and at the low
 * halves only when the high ones are equal.
 */
final class ArgumentComparison {

    private ArgumentComparison() {
    }

    /** Appends code that falls through when {@code condition} holds and jumps to {@code fail} when not. */
    static void emit(BpfAssembler asm, Condition condition, BpfAssembler.Label fail) {
        int index = condition.index();
        int high = (int) (condition.value() >>> 32);
        int low = (int) condition.value();
        BpfAssembler.Label pass = new BpfAssembler.Label();
        switch (condition.op()) {
            case EQUAL -> {
                loadHigh(asm, index);
                asm.jump(Libc.BPF_JEQ(), high, null, fail);
                loadLow(asm, index);
                asm.jump(Libc.BPF_JEQ(), low, null, fail);
            }
            case NOT_EQUAL -> {
                loadHigh(asm, index);
                asm.jump(Libc.BPF_JEQ(), high, null, pass);
                loadLow(asm, index);
                asm.jump(Libc.BPF_JEQ(), low, fail, null);
            }
            case GREATER_THAN, GREATER_OR_EQUAL -> {
                loadHigh(asm, index);
                asm.jump(Libc.BPF_JGT(), high, pass, null);
                asm.jump(Libc.BPF_JEQ(), high, null, fail);
                loadLow(asm, index);
                asm.jump(condition.op() == Operator.GREATER_THAN ? Libc.BPF_JGT() : Libc.BPF_JGE(), low, null, fail);
            }
            case LESS_THAN, LESS_OR_EQUAL -> {
                loadHigh(asm, index);
                asm.jump(Libc.BPF_JGT(), high, fail, null);
                asm.jump(Libc.BPF_JEQ(), high, null, pass);
                loadLow(asm, index);
                // A < v fails when A >= v; A <= v fails when A > v.
                asm.jump(condition.op() == Operator.LESS_THAN ? Libc.BPF_JGE() : Libc.BPF_JGT(), low, fail, null);
            }
            case MASKED_EQUAL -> {
                int expectedHigh = (int) (condition.valueTwo() >>> 32);
                if (high != 0 || expectedHigh != 0) { // a mask of 32 bits or fewer leaves nothing to check up there
                    loadHigh(asm, index);
                    asm.add(BpfInstruction.and(high));
                    asm.jump(Libc.BPF_JEQ(), expectedHigh, null, fail);
                }
                loadLow(asm, index);
                asm.add(BpfInstruction.and(low));
                asm.jump(Libc.BPF_JEQ(), (int) condition.valueTwo(), null, fail);
            }
        }
        asm.bind(pass);
    }

    private static void loadHigh(BpfAssembler asm, int index) {
        asm.add(BpfInstruction.loadWord(SeccompData.argHigh(index)));
    }

    private static void loadLow(BpfAssembler asm, int index) {
        asm.add(BpfInstruction.loadWord(SeccompData.argLow(index)));
    }
}
