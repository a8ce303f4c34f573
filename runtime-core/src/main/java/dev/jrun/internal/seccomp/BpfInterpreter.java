package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Runs a classic BPF program the way the kernel runs a seccomp filter, for the
 * instructions jrun's compiler emits: word loads, AND, forward jumps, return.
 */
final class BpfInterpreter {

    private static final ValueLayout.OfInt WORD = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final int CODE_MASK = 0xFFFF;

    private BpfInterpreter() {
    }

    /** {@return the value the program returns for {@code data}} */
    static int run(List<BpfInstruction> program, MemorySegment data) {
        int a = 0;
        int pc = 0;
        while (pc < program.size()) {
            BpfInstruction insn = program.get(pc++);
            int code = insn.code() & CODE_MASK;
            if (code == (Libc.BPF_LD() | Libc.BPF_W() | Libc.BPF_ABS())) {
                a = data.get(WORD, insn.k());
            } else if (code == (Libc.BPF_ALU() | Libc.BPF_AND() | Libc.BPF_K())) {
                a &= insn.k();
            } else if (code == (Libc.BPF_JMP() | Libc.BPF_JA())) {
                pc += insn.k();
            } else if (insn.instructionClass() == Libc.BPF_JMP()) {
                pc += condition(code, a, insn.k()) ? insn.jt() : insn.jf();
            } else if (code == (Libc.BPF_RET() | Libc.BPF_K())) {
                return insn.k();
            } else {
                throw new IllegalStateException("BPF opcode 0x" + Integer.toHexString(code) + " at " + (pc - 1)
                        + " is not one jrun emits");
            }
        }
        throw new IllegalStateException("BPF program ran off its end");
    }

    private static boolean condition(int code, int a, int k) {
        int op = code & ~(Libc.BPF_JMP() | Libc.BPF_K());
        if (op == Libc.BPF_JEQ()) {
            return a == k;
        } else if (op == Libc.BPF_JGT()) {
            return Integer.compareUnsigned(a, k) > 0;
        } else if (op == Libc.BPF_JGE()) {
            return Integer.compareUnsigned(a, k) >= 0;
        } else if (op == Libc.BPF_JSET()) {
            return (a & k) != 0;
        }
        throw new IllegalStateException("BPF jump 0x" + Integer.toHexString(code) + " is not one jrun emits");
    }
}
