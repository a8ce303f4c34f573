package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Shows a seccomp filter as pseudo-code: {@code A = sys_number},
 * {@code if (A > getpid) goto 0012}, {@code return ERRNO(EPERM)}. Constants
 * compared with the system call number are shown by name, in the table of the
 * ABI whose instructions they are in, and with the architecture by its
 * AUDIT_ARCH name; the first instruction of each ABI's part says which ABI it is.
 */
final class BpfListing {

    private static final String UNKNOWN = "?";

    private final NavigableMap<Integer, Abi> sections;
    private final StringBuilder out = new StringBuilder();
    /** What A holds when each instruction starts, from the instructions that lead to it; jumps only go forward. */
    private final Map<Integer, String> incoming = new HashMap<>();
    private String accumulator = "";

    private BpfListing(NavigableMap<Integer, Abi> sections) {
        this.sections = sections;
    }

    /** {@return the listing of {@code program}, whose instructions for each ABI start where {@code sections} says} */
    static String of(List<BpfInstruction> program, NavigableMap<Integer, Abi> sections) {
        BpfListing listing = new BpfListing(sections);
        for (int i = 0; i < program.size(); i++) {
            listing.accumulator = listing.incoming.getOrDefault(i, UNKNOWN);
            listing.line(i, program.get(i));
            listing.flowOn(i, program.get(i));
        }
        return listing.out.toString();
    }

    /** Passes what A holds after instruction {@code at} on to the instructions that can run next. */
    private void flowOn(int at, BpfInstruction insn) {
        if (insn.instructionClass() == Libc.BPF_RET()) {
            return;
        }
        if (insn.code() == (Libc.BPF_JMP() | Libc.BPF_JA())) {
            reach(at + 1 + insn.k());
        } else if (insn.instructionClass() == Libc.BPF_JMP()) {
            reach(at + 1 + insn.jt());
            reach(at + 1 + insn.jf());
        } else {
            reach(at + 1);
        }
    }

    private void reach(int target) {
        incoming.merge(target, accumulator, (a, b) -> a.equals(b) ? a : UNKNOWN);
    }

    private void line(int at, BpfInstruction insn) {
        String text;
        int code = insn.code();
        if (code == (Libc.BPF_LD() | Libc.BPF_W() | Libc.BPF_ABS())) {
            accumulator = SeccompData.describe(insn.k());
            text = "A = " + accumulator;
        } else if (code == (Libc.BPF_ALU() | Libc.BPF_AND() | Libc.BPF_K())) {
            text = "A &= " + hex(insn.k());
        } else if (code == (Libc.BPF_JMP() | Libc.BPF_JA())) {
            text = "goto " + target(at, insn.k());
        } else if (insn.instructionClass() == Libc.BPF_JMP()) {
            text = jump(at, insn);
        } else if (code == (Libc.BPF_RET() | Libc.BPF_K())) {
            text = "return " + Verdicts.describe(insn.k());
        } else {
            text = "opcode " + hex(code) + " k=" + hex(insn.k());
        }
        Abi starting = sections.get(at);
        if (starting != null && at > 0) {
            text = String.format("%-40s // %s", text, starting.ociName());
        }
        out.append(String.format(" %04d  %s%n", at, text));
    }

    private String jump(int at, BpfInstruction insn) {
        int op = insn.code() & ~(Libc.BPF_JMP() | Libc.BPF_K());
        String k = constant(at, insn.k());
        if (insn.jf() == 0) {
            return "if (A " + symbol(op, false) + " " + k + ") goto " + target(at, insn.jt());
        }
        if (insn.jt() == 0) {
            return "if (A " + symbol(op, true) + " " + k + ") goto " + target(at, insn.jf());
        }
        return "if (A " + symbol(op, false) + " " + k + ") goto " + target(at, insn.jt())
                + " else goto " + target(at, insn.jf());
    }

    private static String symbol(int op, boolean negated) {
        if (op == Libc.BPF_JEQ()) {
            return negated ? "!=" : "==";
        } else if (op == Libc.BPF_JGT()) {
            return negated ? "<=" : ">";
        } else if (op == Libc.BPF_JGE()) {
            return negated ? "<" : ">=";
        }
        return negated ? "&! " : "& ";
    }

    private String constant(int at, int k) {
        if (accumulator.equals("sys_number") && k >= 0) {
            return sections.floorEntry(at).getValue().table().name(k).orElse(hex(k));
        }
        if (accumulator.equals("arch") && k == Libc.AUDIT_ARCH_X86_64()) {
            return "AUDIT_ARCH_X86_64";
        }
        if (accumulator.equals("arch") && k == Libc.AUDIT_ARCH_I386()) {
            return "AUDIT_ARCH_I386";
        }
        return hex(k);
    }

    private static String target(int at, int offset) {
        return String.format("%04d", at + 1 + offset);
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }
}
