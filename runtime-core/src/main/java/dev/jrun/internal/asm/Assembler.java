package dev.jrun.internal.asm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects hand-encoded machine instructions, each with the assembly it
 * stands for, and patches jumps to labels. {@link #listing()} prints the
 * result like an assembler listing. Only x86-64 is encoded for now.
 */
public final class Assembler {

    private record Fixup(int at, int width, String label) {
    }

    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final StringBuilder listing = new StringBuilder();
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Fixup> fixups = new ArrayList<>();

    /** Emits one instruction's bytes; {@code assembly} says what it is and why. */
    public Assembler op(String assembly, int... bytes) {
        listing.append(String.format("%04x  %s%n", code.size(), assembly));
        for (int b : bytes) {
            code.write(b);
        }
        return this;
    }

    /** Appends a 32-bit little-endian immediate to the instruction just emitted. */
    public Assembler imm32(long value) {
        for (int i = 0; i < 4; i++) {
            code.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    /** Appends a 64-bit little-endian immediate to the instruction just emitted. */
    public Assembler imm64(long value) {
        return imm32(value).imm32(value >>> 32);
    }

    /** Emits a jump with an 8-bit displacement to {@code label}. */
    public void jumpShort(String assembly, int opcode, String label) {
        op(assembly, opcode);
        fixups.add(new Fixup(code.size(), 1, label));
        code.write(0);
    }

    /** Emits {@code jmp} with a 32-bit displacement to {@code label}. */
    public void jumpNear(String assembly, String label) {
        op(assembly, 0xE9);
        fixups.add(new Fixup(code.size(), 4, label));
        imm32(0);
    }

    /** Marks the next instruction as {@code name}. */
    public void label(String name) {
        labels.put(name, code.size());
        listing.append(name).append(':').append(System.lineSeparator());
    }

    /** {@return the machine code, every jump resolved} */
    public byte[] bytes() {
        byte[] bytes = code.toByteArray();
        for (Fixup fixup : fixups) {
            Integer target = labels.get(fixup.label());
            if (target == null) {
                throw new IllegalStateException("undefined label " + fixup.label());
            }
            long displacement = target - (fixup.at() + fixup.width());
            if (fixup.width() == 1 && (displacement < Byte.MIN_VALUE || displacement > Byte.MAX_VALUE)) {
                throw new IllegalStateException("short jump to " + fixup.label() + " out of range: " + displacement);
            }
            for (int i = 0; i < fixup.width(); i++) {
                bytes[fixup.at() + i] = (byte) (displacement >>> (8 * i));
            }
        }
        return bytes;
    }

    /** {@return the code as an annotated listing, one instruction a line} */
    public String listing() {
        return listing.toString();
    }

    /**
     * Refuses to go on when the JVM does not run on x86-64, the only architecture jrun
     * generates code for yet.
     *
     * @param what the code that would be generated, for the message
     */
    public static void requireX86_64(String what) {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            throw new UnsupportedOperationException(what + " is written for x86-64 only; this JVM runs on " + arch);
        }
    }
}
