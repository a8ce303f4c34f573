package dev.jrun.internal.cgroup;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.bpf_cgroup_dev_ctx;
import dev.jrun.bindings.bpf_insn;
import dev.jrun.internal.sys.Bpf;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.model.DeviceRule;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * cgroup v2 device control: the rules compiled into an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE and attached to the container's cgroup. The
 * kernel runs it on every open and mknod of a device node and denies the
 * access when it returns 0.
 *
 * <p>The program tries the rules last to first, so the last rule that matches
 * decides, as the OCI spec's list is read; no match means deny. An allow rule
 * matches when it grants every access asked for; a deny rule when it denies any.
 */
final class DeviceFilter {

    /** The program's context (struct bpf_cgroup_dev_ctx) arrives in R1; R0 is its result. */
    private static final int CTX = Libc.BPF_REG_1();
    private static final int RESULT = Libc.BPF_REG_0();
    private static final int ACCESS = Libc.BPF_REG_2();
    private static final int TYPE = Libc.BPF_REG_3();
    private static final int MAJOR = Libc.BPF_REG_4();
    private static final int MINOR = Libc.BPF_REG_5();
    private static final int SCRATCH = Libc.BPF_REG_6();
    /** access_type is (access << 16) | type, as the kernel's device cgroup hook builds it. */
    private static final int TYPE_BITS = 16;
    private static final int TYPE_MASK = 0xFFFF;
    private static final int INSTRUCTION_SIZE = (int) bpf_insn.sizeof();
    private static final int JUMP_OFFSET = 2;

    private DeviceFilter() {
    }

    /** Loads the program for {@code rules} and attaches it to the cgroup {@code dir}. */
    static void attach(Path dir, List<DeviceRule> rules) {
        int program = Bpf.loadProgram(Libc.BPF_PROG_TYPE_CGROUP_DEVICE(), program(rules), "device filter for " + dir);
        try {
            int cgroup = Descriptors.open(dir.toString(), Libc.O_RDONLY() | Libc.O_DIRECTORY());
            try {
                Bpf.attach(program, cgroup, Libc.BPF_CGROUP_DEVICE(), Libc.BPF_F_ALLOW_MULTI(), "device filter to " + dir);
            } finally {
                Descriptors.close(cgroup);
            }
        } finally {
            Descriptors.close(program);
        }
    }

    /** {@return the program's {@code struct bpf_insn} array} */
    static byte[] program(List<DeviceRule> rules) {
        Emitter out = new Emitter();
        out.load(ACCESS, bpf_cgroup_dev_ctx.access_type$offset());
        out.aluRegister(Libc.BPF_MOV(), TYPE, ACCESS);
        out.aluImmediate(Libc.BPF_AND(), TYPE, TYPE_MASK);
        out.aluImmediate(Libc.BPF_RSH(), ACCESS, TYPE_BITS);
        out.load(MAJOR, bpf_cgroup_dev_ctx.major$offset());
        out.load(MINOR, bpf_cgroup_dev_ctx.minor$offset());
        for (DeviceRule rule : rules.reversed()) {
            if (!rule(out, rule)) {
                return out.bytes(); // it matches every device: the verifier refuses code after it as unreachable
            }
        }
        out.exit(0);
        return out.bytes();
    }

    /** Emits one rule: tests that jump over its exit when the device does not match; {@return whether it had tests} */
    private static boolean rule(Emitter out, DeviceRule rule) {
        Emitter tests = new Emitter();
        if (rule.type() != DeviceRule.Type.ALL) {
            tests.jumpImmediate(Libc.BPF_JNE(), TYPE, type(rule.type()));
        }
        int access = access(rule.access());
        if (access != access("rwm")) {
            tests.aluRegister(Libc.BPF_MOV(), SCRATCH, ACCESS);
            if (rule.allow()) {
                tests.aluImmediate(Libc.BPF_AND(), SCRATCH, ~access);
                tests.jumpImmediate(Libc.BPF_JNE(), SCRATCH, 0);
            } else {
                tests.aluImmediate(Libc.BPF_AND(), SCRATCH, access);
                tests.jumpImmediate(Libc.BPF_JEQ(), SCRATCH, 0);
            }
        }
        if (rule.type() != DeviceRule.Type.ALL && rule.major() != DeviceRule.ANY) {
            tests.jumpImmediate(Libc.BPF_JNE(), MAJOR, (int) rule.major());
        }
        if (rule.type() != DeviceRule.Type.ALL && rule.minor() != DeviceRule.ANY) {
            tests.jumpImmediate(Libc.BPF_JNE(), MINOR, (int) rule.minor());
        }
        out.appendSkippingTo(tests, 2);
        out.exit(rule.allow() ? 1 : 0);
        return !tests.isEmpty();
    }

    private static int type(DeviceRule.Type type) {
        return type == DeviceRule.Type.BLOCK ? Libc.BPF_DEVCG_DEV_BLOCK() : Libc.BPF_DEVCG_DEV_CHAR();
    }

    private static int access(String access) {
        int bits = 0;
        for (char c : access.toCharArray()) {
            bits |= switch (c) {
                case 'r' -> Libc.BPF_DEVCG_ACC_READ();
                case 'w' -> Libc.BPF_DEVCG_ACC_WRITE();
                default -> Libc.BPF_DEVCG_ACC_MKNOD();
            };
        }
        return bits;
    }

    /**
     * Encodes eBPF instructions: opcode byte, a byte with the destination register in the low
     * nibble and the source in the high one (the bitfields jextract cannot generate), a 16-bit
     * jump offset and a 32-bit immediate, little-endian.
     */
    private static final class Emitter {
        private final ByteArrayOutputStream code = new ByteArrayOutputStream();
        /** Positions of conditional jumps whose offset is "past the end of this emitter". */
        private final List<Integer> jumpsPastEnd = new ArrayList<>();

        void load(int dst, long offset) {
            emit(Libc.BPF_LDX() | Libc.BPF_MEM() | Libc.BPF_W(), dst, CTX, (short) offset, 0);
        }

        void aluRegister(int op, int dst, int src) {
            emit(Libc.BPF_ALU64() | op | Libc.BPF_X(), dst, src, (short) 0, 0);
        }

        void aluImmediate(int op, int dst, int imm) {
            emit(Libc.BPF_ALU64() | op | Libc.BPF_K(), dst, 0, (short) 0, imm);
        }

        /** A jump taken when the test fails; its target is fixed by {@link #appendSkippingTo}. */
        void jumpImmediate(int op, int dst, int imm) {
            jumpsPastEnd.add(code.size());
            emit(Libc.BPF_JMP() | op | Libc.BPF_K(), dst, 0, (short) 0, imm);
        }

        void exit(int result) {
            emit(Libc.BPF_ALU64() | Libc.BPF_MOV() | Libc.BPF_K(), RESULT, 0, (short) 0, result);
            emit(Libc.BPF_JMP() | Libc.BPF_EXIT(), 0, 0, (short) 0, 0);
        }

        /** Appends {@code tests}, their jumps retargeted past their end and {@code skip} more instructions. */
        void appendSkippingTo(Emitter tests, int skip) {
            byte[] instructions = tests.code.toByteArray();
            ByteBuffer patch = ByteBuffer.wrap(instructions).order(ByteOrder.LITTLE_ENDIAN);
            int count = instructions.length / INSTRUCTION_SIZE;
            for (int at : tests.jumpsPastEnd) {
                patch.putShort(at + JUMP_OFFSET, (short) (count - at / INSTRUCTION_SIZE - 1 + skip));
            }
            code.writeBytes(instructions);
        }

        private void emit(int opcode, int dst, int src, short offset, int imm) {
            ByteBuffer instruction = ByteBuffer.allocate(INSTRUCTION_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            instruction.put((byte) opcode).put((byte) ((src << 4) | dst)).putShort(offset).putInt(imm);
            code.writeBytes(instruction.array());
        }

        byte[] bytes() {
            return code.toByteArray();
        }

        boolean isEmpty() {
            return code.size() == 0;
        }
    }
}
