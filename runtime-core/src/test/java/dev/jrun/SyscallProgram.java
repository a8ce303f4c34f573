package dev.jrun;

import dev.jrun.bindings.Elf64_Ehdr;
import dev.jrun.bindings.Elf64_Phdr;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.asm.Assembler;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A tiny static x86-64 program that makes one system call, whose first
 * argument is 0, through the native ABI ({@code syscall}) or the i386 ABI
 * ({@code int 0x80}, which a seccomp filter sees with
 * {@code arch == AUDIT_ARCH_I386}), then exits through the native ABI with the
 * errno the call failed with (its status is the low 8 bits: 0 when it
 * succeeded with 0).
 */
final class SyscallProgram {

    private static final long BASE = 0x40_0000L;
    private static final long PAGE = 4096;

    private SyscallProgram() {
    }

    /** Writes to {@code file} an executable that makes native system call {@code number}. */
    static void writeNative(Path file, int number) throws IOException {
        Assembler code = new Assembler();
        code.op("mov eax, number", 0xB8).imm32(number);
        code.op("xor edi, edi   ; the first argument", 0x31, 0xFF);
        code.op("syscall", 0x0F, 0x05);
        write(file, exitWithErrno(code));
    }

    /** Writes to {@code file} an executable that makes i386 system call {@code number} ({@code I386Syscalls}). */
    static void writeI386(Path file, int number) throws IOException {
        Assembler code = new Assembler();
        code.op("mov eax, number", 0xB8).imm32(number);
        code.op("xor ebx, ebx   ; the first argument", 0x31, 0xDB);
        code.op("int 0x80", 0xCD, 0x80);
        write(file, exitWithErrno(code));
    }

    /** exit_group(-eax): a failed call returns -errno. */
    private static byte[] exitWithErrno(Assembler code) {
        code.op("neg eax", 0xF7, 0xD8);
        code.op("mov edi, eax", 0x89, 0xC7);
        code.op("mov eax, SYS_exit_group", 0xB8).imm32(Libc.SYS_exit_group());
        code.op("syscall", 0x0F, 0x05);
        return code.bytes();
    }

    private static void write(Path file, byte[] machineCode) throws IOException {
        long headers = Elf64_Ehdr.sizeof() + Elf64_Phdr.sizeof();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment image = arena.allocate(headers + machineCode.length);
            MemorySegment header = image.asSlice(0, Elf64_Ehdr.sizeof());
            MemorySegment ident = Elf64_Ehdr.e_ident(header);
            byte[] magic = {(byte) Libc.ELFMAG0(), (byte) Libc.ELFMAG1(), (byte) Libc.ELFMAG2(), (byte) Libc.ELFMAG3()};
            MemorySegment.copy(magic, 0, ident, ValueLayout.JAVA_BYTE, 0, magic.length);
            ident.set(ValueLayout.JAVA_BYTE, Libc.EI_CLASS(), (byte) Libc.ELFCLASS64());
            ident.set(ValueLayout.JAVA_BYTE, Libc.EI_DATA(), (byte) Libc.ELFDATA2LSB());
            ident.set(ValueLayout.JAVA_BYTE, Libc.EI_VERSION(), (byte) Libc.EV_CURRENT());
            Elf64_Ehdr.e_type(header, (short) Libc.ET_EXEC());
            Elf64_Ehdr.e_machine(header, (short) Libc.EM_X86_64());
            Elf64_Ehdr.e_version(header, Libc.EV_CURRENT());
            Elf64_Ehdr.e_entry(header, BASE + headers);
            Elf64_Ehdr.e_phoff(header, Elf64_Ehdr.sizeof());
            Elf64_Ehdr.e_ehsize(header, (short) Elf64_Ehdr.sizeof());
            Elf64_Ehdr.e_phentsize(header, (short) Elf64_Phdr.sizeof());
            Elf64_Ehdr.e_phnum(header, (short) 1);
            MemorySegment load = image.asSlice(Elf64_Ehdr.sizeof(), Elf64_Phdr.sizeof());
            Elf64_Phdr.p_type(load, Libc.PT_LOAD());
            Elf64_Phdr.p_flags(load, Libc.PF_R() | Libc.PF_X());
            Elf64_Phdr.p_vaddr(load, BASE);
            Elf64_Phdr.p_paddr(load, BASE);
            Elf64_Phdr.p_filesz(load, image.byteSize());
            Elf64_Phdr.p_memsz(load, image.byteSize());
            Elf64_Phdr.p_align(load, PAGE);
            MemorySegment.copy(machineCode, 0, image, ValueLayout.JAVA_BYTE, headers, machineCode.length);
            Files.write(file, image.toArray(ValueLayout.JAVA_BYTE));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
