package dev.jrun.internal.stub;

import dev.jrun.Container;
import dev.jrun.Plans;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.protocol.StepRecord;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.model.FilesystemSetup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The launch stub is a static x86-64 ELF executable whose data segment holds the plan's step records. */
@Tag("plan")
class StubImageTest {

    private static final int ELF_HEADER_SIZE = 64;
    private static final int PROGRAM_HEADER_SIZE = 56;
    private static final int PT_LOAD = 1;
    private static final int PT_GNU_STACK = 0x6474e551;

    private final LaunchPlan plan = Plans.asRoot(Container.builder().command("true"));
    private final StubImage stub = StubImage.of(plan);
    private final ByteBuffer elf = ByteBuffer.wrap(stub.bytes()).order(ByteOrder.LITTLE_ENDIAN);

    /** One program header of the image. */
    private record ProgramHeader(int type, int flags, long offset, long address, long fileSize, long memorySize) {
    }

    private ProgramHeader programHeader(int index) {
        return programHeader(elf, index);
    }

    private static ProgramHeader programHeader(ByteBuffer elf, int index) {
        int at = (int) elf.getLong(32) + index * PROGRAM_HEADER_SIZE;
        return new ProgramHeader(elf.getInt(at), elf.getInt(at + 4), elf.getLong(at + 8), elf.getLong(at + 16),
                elf.getLong(at + 32), elf.getLong(at + 40));
    }

    private long firstStepAddress() {
        return programHeader(1).address();
    }

    @Test
    void startsWithTheElfMagic() {
        assertThat(stub.bytes()).startsWith(0x7f, 'E', 'L', 'F');
    }

    @Test
    void isA64BitLittleEndianX8664Executable() {
        assertThat(elf.get(4)).as("EI_CLASS").isEqualTo((byte) Libc.ELFCLASS64());
        assertThat(elf.get(5)).as("EI_DATA").isEqualTo((byte) Libc.ELFDATA2LSB());
        assertThat(elf.get(6)).as("EI_VERSION").isEqualTo((byte) 1);
        assertThat(elf.getShort(16)).as("e_type").isEqualTo((short) 2);
        assertThat(elf.getShort(18)).as("e_machine").isEqualTo((short) 62);
        assertThat(elf.getShort(52)).as("e_ehsize").isEqualTo((short) ELF_HEADER_SIZE);
        assertThat(elf.getShort(54)).as("e_phentsize").isEqualTo((short) PROGRAM_HEADER_SIZE);
        assertThat(elf.getShort(56)).as("e_phnum").isEqualTo((short) 3);
    }

    @Test
    void entersRightAfterTheHeadersInTheExecutableSegment() {
        ProgramHeader text = programHeader(0);

        assertThat(text.type()).isEqualTo(PT_LOAD);
        assertThat(text.flags()).isEqualTo(Libc.PF_R() | Libc.PF_X());
        assertThat(text.offset()).isZero();
        assertThat(elf.getLong(24)).as("e_entry")
                .isEqualTo(text.address() + ELF_HEADER_SIZE + 3 * PROGRAM_HEADER_SIZE);
        assertThat(elf.getLong(24)).isBetween(text.address(), text.address() + text.fileSize() - 1);
    }

    @Test
    void loadsThePlanWritableAtAnAddressCongruentToItsFileOffset() {
        ProgramHeader data = programHeader(1);

        assertThat(data.type()).isEqualTo(PT_LOAD);
        assertThat(data.flags()).isEqualTo(Libc.PF_R() | Libc.PF_W());
        assertThat(data.address() % 4096).isEqualTo(data.offset() % 4096);
        assertThat(data.offset() + data.fileSize()).isEqualTo(stub.bytes().length);
        assertThat(data.fileSize()).isGreaterThanOrEqualTo((long) plan.steps().size() * StepRecord.SIZE);
    }

    @Test
    void asksForANonExecutableStack() {
        ProgramHeader stack = programHeader(2);

        assertThat(stack.type()).isEqualTo(PT_GNU_STACK);
        assertThat(stack.flags() & Libc.PF_X()).isZero();
    }

    @Test
    void eachStepRecordStartsWithItsSystemCallNumber() {
        int records = (int) programHeader(1).offset();

        for (int i = 0; i < plan.steps().size(); i++) {
            assertThat(elf.getLong(records + i * StepRecord.SIZE + StepRecord.NUMBER)).as("step %d", i)
                    .isEqualTo(plan.step(i).call().number());
        }
        assertThat(elf.getLong(records)).isEqualTo(Libc.SYS_close_range());
    }

    @Test
    void aJumpHoldsTheAddressOfItsTargetRecord() {
        int records = (int) programHeader(1).offset();
        int clone = 1;
        int target = plan.step(clone).jumpIfPositive();

        assertThat(elf.get(records + clone * StepRecord.SIZE + StepRecord.FLAGS) & StepRecord.JUMP_IF_POSITIVE)
                .isNotZero();
        assertThat(elf.getLong(records + clone * StepRecord.SIZE + StepRecord.JUMP))
                .isEqualTo(firstStepAddress() + (long) target * StepRecord.SIZE);
    }

    @Test
    void aSkipOnAToleratedErrnoHoldsTheAddressOfItsTarget() {
        LaunchPlan masking = Plans.asRoot(Container.builder().command("true")
                .filesystem(FilesystemSetup.hostSandbox().withMaskedPath("/proc/kcore")));
        StubImage image = StubImage.of(masking);
        ByteBuffer bytes = ByteBuffer.wrap(image.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        int skip = IntStream.range(0, masking.steps().size())
                .filter(i -> masking.step(i).jumpIfTolerated() >= 0).findFirst().orElseThrow();
        int at = (int) programHeader(bytes, 1).offset() + skip * StepRecord.SIZE;

        assertThat(bytes.get(at + StepRecord.FLAGS) & StepRecord.JUMP_IF_TOLERATED).isNotZero();
        assertThat(bytes.get(at + StepRecord.FLAGS) & StepRecord.JUMP_IF_POSITIVE).isZero();
        assertThat(bytes.getLong(at + StepRecord.TOLERATED)).isEqualTo((1L << Libc.ENOENT()) | (1L << Libc.ENOTDIR()));
        assertThat(image.stepAt(bytes.getLong(at + StepRecord.JUMP))).isEqualTo(masking.step(skip).jumpIfTolerated());
    }

    @Test
    void mapsRecordAddressesBackToStepIndices() {
        for (int i = 0; i < plan.steps().size(); i++) {
            assertThat(stub.stepAt(firstStepAddress() + (long) i * StepRecord.SIZE)).isEqualTo(i);
        }
    }

    @Test
    void refusesAddressesThatAreNoStepRecord() {
        long first = firstStepAddress();
        long pastTheEnd = first + (long) plan.steps().size() * StepRecord.SIZE;

        assertThatIllegalArgumentException().isThrownBy(() -> stub.stepAt(first - StepRecord.SIZE));
        assertThatIllegalArgumentException().isThrownBy(() -> stub.stepAt(first + 8));
        assertThatIllegalArgumentException().isThrownBy(() -> stub.stepAt(pastTheEnd))
                .withMessageContaining("0x" + Long.toHexString(pastTheEnd));
    }

    @Test
    void bytesAreACopy() {
        byte[] bytes = stub.bytes();
        bytes[0] = 0;

        assertThat(stub.bytes()[0]).isEqualTo((byte) 0x7f);
    }
}
