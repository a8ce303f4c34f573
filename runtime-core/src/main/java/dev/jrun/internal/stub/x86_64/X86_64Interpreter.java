package dev.jrun.internal.stub.x86_64;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.asm.Assembler;
import dev.jrun.internal.protocol.LaunchProtocol;
import dev.jrun.internal.protocol.StepRecord;
import dev.jrun.launch.Step;

import java.util.List;

import static dev.jrun.internal.protocol.StepRecord.AGAIN_ON_EAGAIN;
import static dev.jrun.internal.protocol.StepRecord.ARGS;
import static dev.jrun.internal.protocol.StepRecord.FLAGS;
import static dev.jrun.internal.protocol.StepRecord.INDIRECT;
import static dev.jrun.internal.protocol.StepRecord.JUMP;
import static dev.jrun.internal.protocol.StepRecord.JUMP_IF_POSITIVE;
import static dev.jrun.internal.protocol.StepRecord.JUMP_IF_TOLERATED;
import static dev.jrun.internal.protocol.StepRecord.MAY_FAIL;
import static dev.jrun.internal.protocol.StepRecord.NUMBER;
import static dev.jrun.internal.protocol.StepRecord.RESULT;
import static dev.jrun.internal.protocol.StepRecord.SIZE;
import static dev.jrun.internal.protocol.StepRecord.TOLERATED;

/**
 * The launch stub's code for x86-64: a loop that executes {@link StepRecord}s.
 *
 * <p>It keeps the current record in {@code rbx} (the kernel preserves it
 * across {@code syscall}), loads the six arguments into the registers of the
 * Linux system call convention, dereferencing those marked indirect, makes the
 * call and stores the result in the record. On an error it writes an
 * {step address, errno} record to the error pipe and exits, unless the step
 * is to be made again on that errno ({@code EAGAIN}), may fail or tolerates it; a step that may fail
 * or tolerates the errno continues at its jump target when it has one. The stub never returns and needs no stack
 * beyond the two words of that record.
 */
public final class X86_64Interpreter {

    /** A general-purpose register by its x86-64 encoding number. */
    private record Register(String name, int number) {
        int low3() {
            return number & 7;
        }

        int rexBit() {
            return number >> 3;
        }
    }

    /** Where the system call convention wants arguments 1..6. */
    private static final List<Register> ARGUMENT_REGISTERS = List.of(
            new Register("rdi", 7), new Register("rsi", 6), new Register("rdx", 2),
            new Register("r10", 10), new Register("r8", 8), new Register("r9", 9));

    private static final int REX_W = 0x48;
    private static final int REX_R = 0x04;
    private static final int REX_B = 0x01;
    private static final int MOD_DISP8 = 0x40;
    private static final int RM_RBX = 3;

    private X86_64Interpreter() {
    }

    /**
     * {@return the assembled interpreter, starting at the step record at {@code firstStep} and
     * reporting failures on descriptor {@code errorFd}}
     */
    public static Assembler assemble(long firstStep, int errorFd) {
        Assembler a = new Assembler();
        a.op("mov rbx, first_step                ; rbx: the current step record", REX_W, 0xBB).imm64(firstStep);
        a.label("next_step");
        for (int i = 0; i < ARGUMENT_REGISTERS.size(); i++) {
            loadArgument(a, i, ARGUMENT_REGISTERS.get(i));
        }
        a.op("mov rax, [rbx+" + NUMBER + "]                  ; rax: the system call number",
                REX_W, 0x8B, MOD_DISP8 | RM_RBX, NUMBER);
        a.op("syscall", 0x0F, 0x05);
        a.op("mov [rbx+" + RESULT + "], rax                 ; keep the result for later steps",
                REX_W, 0x89, MOD_DISP8 | RM_RBX, RESULT);
        a.op("cmp rax, -4095                     ; -4095..-1 is -errno", REX_W, 0x3D).imm32(-4095);
        a.jumpShort("jae failed                         ; (unsigned) the call failed", 0x73, "failed");
        a.op("test byte [rbx+" + FLAGS + "], JUMP_IF_POSITIVE", 0xF6, MOD_DISP8 | RM_RBX, FLAGS, JUMP_IF_POSITIVE);
        a.jumpShort("jz advance", 0x74, "advance");
        a.op("test rax, rax", REX_W, 0x85, 0xC0);
        a.jumpShort("jle advance                        ; zero: clone's child goes on", 0x7E, "advance");
        a.label("jump");
        a.op("mov rbx, [rbx+" + JUMP + "]                 ; continue at the jump target",
                REX_W, 0x8B, MOD_DISP8 | (RM_RBX << 3) | RM_RBX, JUMP);
        a.jumpNear("jmp next_step", "next_step");

        a.label("failed");
        a.op("test byte [rbx+" + FLAGS + "], AGAIN_ON_EAGAIN", 0xF6, MOD_DISP8 | RM_RBX, FLAGS, AGAIN_ON_EAGAIN);
        a.jumpShort("jz may_fail", 0x74, "may_fail");
        a.op("cmp rax, -EAGAIN", REX_W, 0x83, 0xF8, -Libc.EAGAIN() & 0xFF);
        a.jumpShort("jne may_fail", 0x75, "may_fail");
        a.jumpNear("jmp next_step                      ; the same step again", "next_step");
        a.label("may_fail");
        a.op("test byte [rbx+" + FLAGS + "], MAY_FAIL", 0xF6, MOD_DISP8 | RM_RBX, FLAGS, MAY_FAIL);
        a.jumpShort("jnz tolerated                      ; this step may fail", 0x75, "tolerated");
        a.op("neg rax                            ; rax: errno", REX_W, 0xF7, 0xD8);
        a.op("cmp rax, " + Step.MAX_TOLERATED_ERRNO, REX_W, 0x83, 0xF8, Step.MAX_TOLERATED_ERRNO);
        a.jumpShort("ja report                          ; beyond the tolerated mask", 0x77, "report");
        a.op("bt [rbx+" + TOLERATED + "], rax                 ; does this step tolerate the errno?",
                REX_W, 0x0F, 0xA3, MOD_DISP8 | RM_RBX, TOLERATED);
        a.jumpShort("jnc report", 0x73, "report");
        a.label("tolerated");
        a.op("test byte [rbx+" + FLAGS + "], JUMP_IF_TOLERATED", 0xF6, MOD_DISP8 | RM_RBX, FLAGS, JUMP_IF_TOLERATED);
        a.jumpShort("jz advance                         ; go on", 0x74, "advance");
        a.jumpShort("jmp jump                           ; skip what needed this step", 0xEB, "jump");
        a.label("report");
        a.op("push rax                           ; error record word 2: errno", 0x50);
        a.op("push rbx                           ; error record word 1: the failed step", 0x53);
        a.op("mov edi, error_fd", 0xBF).imm32(errorFd);
        a.op("mov rsi, rsp                       ; the record", REX_W, 0x89, 0xE6);
        a.op("mov edx, " + LaunchProtocol.ERROR_RECORD_SIZE, 0xBA).imm32(LaunchProtocol.ERROR_RECORD_SIZE);
        a.op("mov eax, SYS_write", 0xB8).imm32(Libc.SYS_write());
        a.op("syscall", 0x0F, 0x05);
        a.op("mov edi, " + LaunchProtocol.STEP_FAILED_EXIT, 0xBF).imm32(LaunchProtocol.STEP_FAILED_EXIT);
        a.op("mov eax, SYS_exit_group", 0xB8).imm32(Libc.SYS_exit_group());
        a.op("syscall", 0x0F, 0x05);
        a.op("ud2                                ; exit_group failed (a seccomp filter denies it): crash", 0x0F, 0x0B);

        a.label("advance");
        a.op("add rbx, " + SIZE + "                       ; the next record", REX_W, 0x83, 0xC0 | RM_RBX, SIZE);
        a.jumpNear("jmp next_step", "next_step");
        return a;
    }

    /** {@code reg = step.args[i]}, then {@code reg = *reg} if the step marks argument i indirect. */
    private static void loadArgument(Assembler a, int i, Register reg) {
        int offset = ARGS + Long.BYTES * i;
        String r = reg.name();
        a.op(String.format("mov %s, [rbx+%d]%s ; argument %d", r, offset, " ".repeat(20 - r.length()), i + 1),
                REX_W | (reg.rexBit() * REX_R), 0x8B, MOD_DISP8 | (reg.low3() << 3) | RM_RBX, offset);
        a.op("test byte [rbx+" + INDIRECT + "], " + (1 << i) + "          ; indirect?",
                0xF6, MOD_DISP8 | RM_RBX, INDIRECT, 1 << i);
        a.op("jz +3", 0x74, 3);
        a.op(String.format("mov %s, [%s]%s ; load the earlier result it points to", r, r, " ".repeat(21 - 2 * r.length())),
                REX_W | (reg.rexBit() * (REX_R | REX_B)), 0x8B, (reg.low3() << 3) | reg.low3());
    }
}
