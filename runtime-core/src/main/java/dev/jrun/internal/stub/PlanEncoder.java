package dev.jrun.internal.stub;

import dev.jrun.bindings.sock_fprog;
import dev.jrun.internal.protocol.StepRecord;
import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Step;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays a {@link LaunchPlan} out in memory as the stub reads it: the step
 * records first, then the strings, structs and pointer arrays they point to,
 * all at absolute addresses from {@code base}.
 */
final class PlanEncoder {

    private final long base;
    private final long dataStart;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final Map<String, Long> strings = new HashMap<>();

    private PlanEncoder(long base, int steps) {
        this.base = base;
        this.dataStart = base + (long) steps * StepRecord.SIZE;
    }

    /** {@return the plan's bytes, to be loaded at {@code base}} */
    static byte[] encode(LaunchPlan plan, long base) {
        return new PlanEncoder(base, plan.steps().size()).encode(plan.steps());
    }

    private byte[] encode(List<Step> steps) {
        ByteBuffer records = ByteBuffer.allocate(steps.size() * StepRecord.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            int at = i * StepRecord.SIZE;
            records.putLong(at + StepRecord.NUMBER, step.call().number());
            int indirect = 0;
            for (int a = 0; a < step.args().size(); a++) {
                Arg arg = step.args().get(a);
                records.putLong(at + StepRecord.ARGS + Long.BYTES * a, word(arg));
                if (arg instanceof Arg.ResultOf) {
                    indirect |= 1 << a;
                }
            }
            int flags = (step.mayFail() ? StepRecord.MAY_FAIL : 0)
                    | (step.jumpIfPositive() >= 0 ? StepRecord.JUMP_IF_POSITIVE : 0)
                    | (step.jumpIfTolerated() >= 0 ? StepRecord.JUMP_IF_TOLERATED : 0)
                    | (step.againOnEagain() ? StepRecord.AGAIN_ON_EAGAIN : 0);
            records.put(at + StepRecord.FLAGS, (byte) flags);
            records.put(at + StepRecord.INDIRECT, (byte) indirect);
            int jump = Math.max(step.jumpIfPositive(), step.jumpIfTolerated());
            if (jump >= 0) {
                records.putLong(at + StepRecord.JUMP, stepAddress(jump));
            }
            records.putLong(at + StepRecord.TOLERATED,
                    step.toleratedErrnos().stream().mapToLong(errno -> 1L << errno).reduce(0, (a, b) -> a | b));
        }
        byte[] out = new byte[records.capacity() + data.size()];
        System.arraycopy(records.array(), 0, out, 0, records.capacity());
        System.arraycopy(data.toByteArray(), 0, out, records.capacity(), data.size());
        return out;
    }

    /** {@return the 64-bit word the stub loads for an argument} */
    private long word(Arg arg) {
        return switch (arg) {
            case Arg.Value value -> value.value();
            case Arg.Text text -> string(text.value());
            case Arg.Bytes bytes -> append(bytes.bytes());
            case Arg.Struct struct -> append(withPointers(struct));
            case Arg.TextArray array -> pointerArray(array.values());
            case Arg.FilterProgram program -> filterProgram(program);
            case Arg.ResultOf result -> stepAddress(result.step()) + StepRecord.RESULT;
            case Arg.AddressOfResult result -> stepAddress(result.step()) + StepRecord.RESULT;
        };
    }

    /** {@return the struct's bytes with each pointer field set to the address of its target's data} */
    private byte[] withPointers(Arg.Struct struct) {
        ByteBuffer bytes = ByteBuffer.wrap(struct.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        struct.pointers().forEach((offset, target) -> bytes.putLong(Math.toIntExact(offset), word(target)));
        return bytes.array();
    }

    private long stepAddress(int index) {
        return base + (long) index * StepRecord.SIZE;
    }

    private long string(String value) {
        return strings.computeIfAbsent(value, v -> {
            byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
            byte[] terminated = new byte[utf8.length + 1];
            System.arraycopy(utf8, 0, terminated, 0, utf8.length);
            return append(terminated);
        });
    }

    private long pointerArray(List<String> values) {
        ByteBuffer pointers = ByteBuffer.allocate((values.size() + 1) * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (String value : values) {
            pointers.putLong(string(value));
        }
        pointers.putLong(0);
        return append(pointers.array());
    }

    /** Appends the instructions and a {@code struct sock_fprog} pointing to them; {@return its address} */
    private long filterProgram(Arg.FilterProgram program) {
        long instructions = append(program.instructions());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fprog = sock_fprog.allocate(arena);
            sock_fprog.len(fprog, (short) program.length());
            sock_fprog.filter(fprog, MemorySegment.ofAddress(instructions));
            return append(fprog.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /** Appends bytes 8-byte aligned; {@return their address} */
    private long append(byte[] bytes) {
        while (data.size() % Long.BYTES != 0) {
            data.write(0);
        }
        long address = dataStart + data.size();
        data.writeBytes(bytes);
        return address;
    }
}
