package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects classic BPF instructions whose forward jumps name a {@link Label}
 * bound later; {@link #build()} turns the labels into the relative offsets BPF
 * wants: a conditional jump reaches {@link BpfInstruction#MAX_JUMP} instructions,
 * an unconditional one ({@link #jumpAlways(Label)}) any distance.
 */
final class BpfAssembler {

    /** A position in the program, bound with {@link #bind(Label)}. */
    static final class Label {
        private int index = -1;
    }

    /** An instruction whose jump offsets wait for their labels; a null label means the next instruction. */
    private record Slot(BpfInstruction instruction, Label ifTrue, Label ifFalse) {
    }

    private final List<Slot> slots = new ArrayList<>();

    /** Appends an instruction that does not jump. */
    void add(BpfInstruction instruction) {
        slots.add(new Slot(instruction, null, null));
    }

    /** Appends instructions that do not jump out of themselves. */
    void addAll(List<BpfInstruction> instructions) {
        instructions.forEach(this::add);
    }

    /** Appends "if (A op k) goto ifTrue else goto ifFalse"; a null label is the next instruction. */
    void jump(int op, int k, Label ifTrue, Label ifFalse) {
        slots.add(new Slot(BpfInstruction.jump(op, k, 0, 0), ifTrue, ifFalse));
    }

    /** Appends "goto to", however far. */
    void jumpAlways(Label to) {
        slots.add(new Slot(BpfInstruction.jumpAlways(0), to, null));
    }

    /** Makes {@code label} refer to the next instruction appended. */
    void bind(Label label) {
        label.index = slots.size();
    }

    /** {@return the number of instructions so far} */
    int size() {
        return slots.size();
    }

    /**
     * {@return the instructions with every jump resolved}
     *
     * @throws IllegalStateException if a label is unbound, behind its jump or beyond the reach of a BPF jump
     */
    List<BpfInstruction> build() {
        List<BpfInstruction> program = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            BpfInstruction insn = slot.instruction();
            boolean resolved = slot.ifTrue() == null && slot.ifFalse() == null;
            if (!resolved && insn.code() == (Libc.BPF_JMP() | Libc.BPF_JA())) {
                insn = BpfInstruction.jumpAlways(distance(i, slot.ifTrue()));
            } else if (!resolved) {
                insn = new BpfInstruction(insn.code(), offset(i, slot.ifTrue()), offset(i, slot.ifFalse()), insn.k());
            }
            program.add(insn);
        }
        return program;
    }

    /** {@return the offset of a conditional jump; null is the next instruction} */
    private static int offset(int from, Label to) {
        if (to == null) {
            return 0;
        }
        int offset = distance(from, to);
        if (offset > BpfInstruction.MAX_JUMP) {
            throw new IllegalStateException("BPF jump from " + from + " over " + offset + " instructions is too far");
        }
        return offset;
    }

    /** {@return how many instructions a jump at {@code from} skips to reach {@code to}} */
    private static int distance(int from, Label to) {
        if (to.index <= from) {
            throw new IllegalStateException("BPF jump from " + from + " to an unbound or earlier label");
        }
        return to.index - from - 1;
    }
}
