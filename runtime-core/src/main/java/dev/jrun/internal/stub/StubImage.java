package dev.jrun.internal.stub;

import dev.jrun.bindings.Elf64_Ehdr;
import dev.jrun.bindings.Elf64_Phdr;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.asm.Assembler;
import dev.jrun.internal.protocol.LaunchProtocol;
import dev.jrun.internal.protocol.StepRecord;
import dev.jrun.internal.stub.x86_64.X86_64Interpreter;
import dev.jrun.launch.LaunchPlan;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The launch stub: a static ELF executable holding the interpreter's code
 * (read + execute) and the encoded plan (read + write, since the stub stores
 * each step's result in it). No libc, no dynamic loader, a few KB in all.
 *
 * <pre>
 *   file offset 0     ELF header, 3 program headers   mapped at TEXT_BASE, r-x
 *               232   interpreter code
 *               D     step records, then their data   mapped at DATA_BASE + D, rw-
 * </pre>
 */
public final class StubImage {

    static final long TEXT_BASE = 0x40_0000L;
    static final long DATA_BASE = 0x1000_0000L;
    private static final long PAGE = 4096;
    private static final int PROGRAM_HEADERS = 3;

    private final byte[] bytes;
    private final long firstStep;
    private final int steps;

    private StubImage(byte[] bytes, long firstStep, int steps) {
        this.bytes = bytes;
        this.firstStep = firstStep;
        this.steps = steps;
    }

    /** {@return the stub for {@code plan} of a container that inherits no descriptors beyond stdio} */
    public static StubImage of(LaunchPlan plan) {
        return of(plan, new LaunchProtocol(0).errorFd());
    }

    /**
     * {@return the stub that executes {@code plan}, reporting a failed step on descriptor {@code errorFd}}
     *
     * @throws UnsupportedOperationException on an architecture other than x86-64
     */
    public static StubImage of(LaunchPlan plan, int errorFd) {
        Assembler.requireX86_64("jrun's launch stub");
        long headers = Elf64_Ehdr.sizeof() + PROGRAM_HEADERS * Elf64_Phdr.sizeof();
        long codeLength = X86_64Interpreter.assemble(0, errorFd).bytes().length;
        long dataOffset = align(headers + codeLength, Long.BYTES);
        long firstStep = DATA_BASE + dataOffset;
        byte[] code = X86_64Interpreter.assemble(firstStep, errorFd).bytes();
        byte[] data = PlanEncoder.encode(plan, firstStep);

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment image = arena.allocate(dataOffset + data.length, Long.BYTES);
            writeElfHeader(image, TEXT_BASE + headers);
            MemorySegment programHeaders = image.asSlice(Elf64_Ehdr.sizeof());
            writeLoad(Elf64_Phdr.asSlice(programHeaders, 0), 0, TEXT_BASE, headers + code.length,
                    Libc.PF_R() | Libc.PF_X());
            writeLoad(Elf64_Phdr.asSlice(programHeaders, 1), dataOffset, firstStep, data.length,
                    Libc.PF_R() | Libc.PF_W());
            MemorySegment stack = Elf64_Phdr.asSlice(programHeaders, 2);
            Elf64_Phdr.p_type(stack, Libc.PT_GNU_STACK());
            Elf64_Phdr.p_flags(stack, Libc.PF_R() | Libc.PF_W());
            MemorySegment.copy(code, 0, image, ValueLayout.JAVA_BYTE, headers, code.length);
            MemorySegment.copy(data, 0, image, ValueLayout.JAVA_BYTE, dataOffset, data.length);
            return new StubImage(image.toArray(ValueLayout.JAVA_BYTE), firstStep, plan.steps().size());
        }
    }

    /** {@return the executable's bytes} */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** {@return the index of the step whose record is at {@code address}, as an error record names it} */
    public int stepAt(long address) {
        long offset = address - firstStep;
        if (offset < 0 || offset % StepRecord.SIZE != 0 || offset / StepRecord.SIZE >= steps) {
            throw new IllegalArgumentException("no step record at 0x" + Long.toHexString(address));
        }
        return (int) (offset / StepRecord.SIZE);
    }

    private static void writeElfHeader(MemorySegment image, long entry) {
        MemorySegment header = image.asSlice(0, Elf64_Ehdr.sizeof());
        MemorySegment ident = Elf64_Ehdr.e_ident(header);
        ident.set(ValueLayout.JAVA_BYTE, 0, (byte) Libc.ELFMAG0());
        ident.set(ValueLayout.JAVA_BYTE, 1, (byte) Libc.ELFMAG1());
        ident.set(ValueLayout.JAVA_BYTE, 2, (byte) Libc.ELFMAG2());
        ident.set(ValueLayout.JAVA_BYTE, 3, (byte) Libc.ELFMAG3());
        ident.set(ValueLayout.JAVA_BYTE, Libc.EI_CLASS(), (byte) Libc.ELFCLASS64());
        ident.set(ValueLayout.JAVA_BYTE, Libc.EI_DATA(), (byte) Libc.ELFDATA2LSB());
        ident.set(ValueLayout.JAVA_BYTE, Libc.EI_VERSION(), (byte) Libc.EV_CURRENT());
        ident.set(ValueLayout.JAVA_BYTE, Libc.EI_OSABI(), (byte) Libc.ELFOSABI_SYSV());
        Elf64_Ehdr.e_type(header, (short) Libc.ET_EXEC());
        Elf64_Ehdr.e_machine(header, (short) Libc.EM_X86_64());
        Elf64_Ehdr.e_version(header, Libc.EV_CURRENT());
        Elf64_Ehdr.e_entry(header, entry);
        Elf64_Ehdr.e_phoff(header, Elf64_Ehdr.sizeof());
        Elf64_Ehdr.e_ehsize(header, (short) Elf64_Ehdr.sizeof());
        Elf64_Ehdr.e_phentsize(header, (short) Elf64_Phdr.sizeof());
        Elf64_Ehdr.e_phnum(header, (short) PROGRAM_HEADERS);
    }

    private static void writeLoad(MemorySegment header, long offset, long address, long size, int flags) {
        Elf64_Phdr.p_type(header, Libc.PT_LOAD());
        Elf64_Phdr.p_flags(header, flags);
        Elf64_Phdr.p_offset(header, offset);
        Elf64_Phdr.p_vaddr(header, address);
        Elf64_Phdr.p_paddr(header, address);
        Elf64_Phdr.p_filesz(header, size);
        Elf64_Phdr.p_memsz(header, size);
        Elf64_Phdr.p_align(header, PAGE);
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
