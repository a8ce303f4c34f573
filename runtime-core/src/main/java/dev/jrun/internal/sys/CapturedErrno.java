package dev.jrun.internal.sys;

import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The {@code errno} a downcall leaves behind, captured by the linker: the JVM may run code that
 * changes errno between a call's return and a later read of it, so it must be saved by the call.
 */
final class CapturedErrno {

    /** Makes a downcall handle save errno into a state segment, its first argument. */
    static final Linker.Option OPTION = Linker.Option.captureCallState("errno");

    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private CapturedErrno() {
    }

    /** {@return a segment for a call to save its errno in} */
    static MemorySegment allocate(Arena arena) {
        return arena.allocate(STATE);
    }

    /** {@return the failure of {@code name}, called with {@code detail}, with the errno saved in {@code state}} */
    static SystemCallException failure(String name, String detail, MemorySegment state) {
        String operation = detail.isEmpty() ? name : name + "(" + detail + ")";
        return new SystemCallException(operation, (int) ERRNO.get(state, 0L));
    }
}
