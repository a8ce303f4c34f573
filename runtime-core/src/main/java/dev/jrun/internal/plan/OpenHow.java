package dev.jrun.internal.plan;

import dev.jrun.bindings.open_how;
import dev.jrun.internal.flags.Flag;
import dev.jrun.launch.Arg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The {@code struct open_how} argument of {@code openat2(2)}: how to open, and how to resolve the path. */
final class OpenHow {

    /** Its size, {@code openat2}'s last argument. */
    static final long SIZE = open_how.sizeof();

    private OpenHow() {
    }

    /** {@return an {@code open_how} with these open flags and resolve flags, shown by name} */
    static Arg of(Flag[] flags, Flag... resolve) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = open_how.allocate(arena);
            open_how.flags(how, Flag.bits(flags));
            open_how.resolve(how, Flag.bits(resolve));
            return new Arg.Bytes(how.toArray(ValueLayout.JAVA_BYTE),
                    "{flags=" + Flag.names(flags) + ", resolve=" + Flag.names(resolve) + "}");
        }
    }
}
