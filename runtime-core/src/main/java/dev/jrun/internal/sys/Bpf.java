package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.bpf_attr;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;


/** The {@code bpf(2)} calls jrun makes (glibc has no wrapper; a {@link RawSyscall} like the others). */
public final class Bpf {

    /** The kernel checks the license only for helpers it reserves to GPL programs; jrun's programs call none. */
    private static final String LICENSE = "Apache-2.0";
    private static final int LOG_SIZE = 64 * 1024;
    private static final int VERIFIER_LOG_LEVEL = 1;

    private Bpf() {
    }

    /**
     * Loads an eBPF program; {@return its descriptor, close-on-exec}
     *
     * @param type         a BPF_PROG_TYPE_* value
     * @param instructions the {@code struct bpf_insn} array
     * @throws SystemCallException with the verifier's log when the kernel refuses the program
     */
    public static int loadProgram(int type, byte[] instructions, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = bpf_attr.allocate(arena);
            MemorySegment code = arena.allocateFrom(ValueLayout.JAVA_BYTE, instructions);
            MemorySegment log = arena.allocate(LOG_SIZE);
            bpf_attr.prog_type(attr, type);
            bpf_attr.insn_cnt(attr, instructions.length / Long.BYTES);
            bpf_attr.insns(attr, code.address());
            bpf_attr.license(attr, arena.allocateFrom(LICENSE).address());
            bpf_attr.log_level(attr, VERIFIER_LOG_LEVEL);
            bpf_attr.log_size(attr, LOG_SIZE);
            bpf_attr.log_buf(attr, log.address());
            try {
                return (int) RawSyscall.BPF.call("BPF_PROG_LOAD " + what, Libc.BPF_PROG_LOAD(), attr.address(),
                        bpf_attr.sizeof());
            } catch (SystemCallException e) {
                String verifier = log.getString(0).strip().replace("\n", "; ");
                throw new SystemCallException(e.operation() + (verifier.isEmpty() ? "" : " [verifier: " + verifier + "]"),
                        e.errno());
            }
        }
    }

    /** Attaches a loaded program to the object behind {@code targetFd} (a cgroup directory). */
    public static void attach(int programFd, int targetFd, int attachType, int flags, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = bpf_attr.allocate(arena);
            bpf_attr.target_fd(attr, targetFd);
            bpf_attr.attach_bpf_fd(attr, programFd);
            bpf_attr.attach_type(attr, attachType);
            bpf_attr.attach_flags(attr, flags);
            RawSyscall.BPF.call("BPF_PROG_ATTACH " + what, Libc.BPF_PROG_ATTACH(), attr.address(), bpf_attr.sizeof());
        }
    }
}
