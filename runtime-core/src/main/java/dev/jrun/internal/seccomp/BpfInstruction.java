package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.sock_filter;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * One classic BPF instruction ({@code struct sock_filter}): an opcode, two
 * relative jump offsets and a constant.
 *
 * @param code the opcode, {@code BPF_*} bits from the bindings
 * @param jt   instructions to skip when a conditional jump's condition holds
 * @param jf   instructions to skip when it does not
 * @param k    the constant operand
 */
public record BpfInstruction(int code, int jt, int jf, int k) {

    /** The farthest a conditional jump reaches: its offsets are one byte. */
    public static final int MAX_JUMP = 255;

    public BpfInstruction {
        if (jt < 0 || jt > MAX_JUMP || jf < 0 || jf > MAX_JUMP) {
            throw new IllegalArgumentException("BPF jump offset out of range: jt=" + jt + " jf=" + jf);
        }
    }

    /** The low three bits of an opcode: what the header's BPF_CLASS() macro, which jextract cannot generate, masks. */
    private static final int CLASS_MASK = 0x07;

    /** {@return the opcode's instruction class: BPF_LD, BPF_ALU, BPF_JMP, BPF_RET...} */
    public int instructionClass() {
        return code & CLASS_MASK;
    }

    /** {@return the instructions laid out as the kernel reads a {@code struct sock_filter} array} */
    public static byte[] encode(List<BpfInstruction> program) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = sock_filter.allocateArray(program.size(), arena);
            for (int i = 0; i < program.size(); i++) {
                BpfInstruction insn = program.get(i);
                MemorySegment at = sock_filter.asSlice(array, i);
                sock_filter.code(at, (short) insn.code);
                sock_filter.jt(at, (byte) insn.jt);
                sock_filter.jf(at, (byte) insn.jf);
                sock_filter.k(at, insn.k);
            }
            return array.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** {@code BPF_LD|BPF_W|BPF_ABS}: load the 32-bit word at {@code offset} of the input. */
    static BpfInstruction loadWord(int offset) {
        return new BpfInstruction(Libc.BPF_LD() | Libc.BPF_W() | Libc.BPF_ABS(), 0, 0, offset);
    }

    /** {@code BPF_ALU|BPF_AND|BPF_K}: A &= k. */
    static BpfInstruction and(int k) {
        return new BpfInstruction(Libc.BPF_ALU() | Libc.BPF_AND() | Libc.BPF_K(), 0, 0, k);
    }

    /** {@code BPF_JMP|op|BPF_K}: a conditional jump comparing A with k. */
    static BpfInstruction jump(int op, int k, int jt, int jf) {
        return new BpfInstruction(Libc.BPF_JMP() | op | Libc.BPF_K(), jt, jf, k);
    }

    /** {@code BPF_JMP|BPF_JA}: jump forward {@code offset} instructions. */
    static BpfInstruction jumpAlways(int offset) {
        return new BpfInstruction(Libc.BPF_JMP() | Libc.BPF_JA(), 0, 0, offset);
    }

    /** {@code BPF_RET|BPF_K}: end the filter with the verdict k. */
    static BpfInstruction ret(int k) {
        return new BpfInstruction(Libc.BPF_RET() | Libc.BPF_K(), 0, 0, k);
    }
}
