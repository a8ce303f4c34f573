package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

/**
 * A libc function called through a downcall handle that captures {@code errno}.
 *
 * <p>jextract's own handles do not capture errno, so handles are rebuilt here
 * from the generated {@code $address()} and {@code $descriptor()} with
 * {@link Linker.Option#captureCallState(String...) captureCallState("errno")}.
 * A failing call becomes a {@link SystemCallException} that names the function
 * and its key argument.
 *
 * <p>A function is linked on its first call, not when it is declared: each
 * downcall handle costs milliseconds in a fresh JVM (and asking jextract's
 * class for the address or descriptor links jextract's own handle as well),
 * so a command links only the functions it calls.
 */
public final class NativeFunction {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private final String name;
    private final Supplier<MethodHandle> linker;
    private volatile Linked linked;

    /** The downcall handle, spread to take its arguments as an array, and how many it takes. */
    private record Linked(MethodHandle spread, int arity) {
    }

    private NativeFunction(String name, Supplier<MethodHandle> linker) {
        this.name = name;
        this.linker = linker;
    }

    /** A function with a fixed argument list, at the address and with the descriptor jextract generated. */
    public static NativeFunction of(String name, Supplier<MemorySegment> address,
                                    Supplier<FunctionDescriptor> descriptor) {
        return new NativeFunction(name, () -> LINKER.downcallHandle(address.get(), descriptor.get(), CAPTURE_ERRNO));
    }

    /** A variadic function ({@code ioctl}, {@code fcntl}) specialised for the given trailing arguments. */
    public static NativeFunction variadic(String name, Supplier<MemorySegment> address,
                                          Supplier<FunctionDescriptor> fixed, MemoryLayout... variadic) {
        return new NativeFunction(name, () -> {
            FunctionDescriptor fixedPart = fixed.get();
            Linker.Option firstVariadic = Linker.Option.firstVariadicArg(fixedPart.argumentLayouts().size());
            return LINKER.downcallHandle(address.get(), fixedPart.appendArgumentLayouts(variadic),
                    firstVariadic, CAPTURE_ERRNO);
        });
    }

    /**
     * Calls a function that returns -1 (or {@code MAP_FAILED}) and sets errno on failure.
     *
     * @param detail the key argument shown in an error, e.g. a quoted path or a pid
     * @return the result, widened to long (a pointer result gives its address)
     */
    public long call(String detail, Object... args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long result = invoke(state, args);
            if (result == -1) {
                throw new SystemCallException(operation(detail), (int) ERRNO.get(state, 0L));
            }
            return result;
        }
    }

    /** Like {@link #call}, retrying while the call is interrupted by a signal ({@code EINTR}). */
    public long callRestarting(String detail, Object... args) {
        while (true) {
            try {
                return call(detail, args);
            } catch (SystemCallException e) {
                if (e.errno() != Libc.EINTR()) {
                    throw e;
                }
            }
        }
    }

    /** Calls a function that returns 0 or an error number itself (the {@code posix_spawn} family). */
    public void callReturningError(String detail, Object... args) {
        try (Arena arena = Arena.ofConfined()) {
            int error = (int) invoke(arena.allocate(CALL_STATE), args);
            if (error != 0) {
                throw new SystemCallException(operation(detail), error);
            }
        }
    }

    private long invoke(MemorySegment state, Object[] args) {
        Linked function = linked();
        if (args.length != function.arity()) {
            throw new IllegalArgumentException(name + " takes " + function.arity() + " arguments, given " + args.length);
        }
        Object result;
        try {
            result = function.spread().invokeExact(state, args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("downcall " + name + " failed", t);
        }
        return switch (result) {
            case Number number -> number.longValue();
            case MemorySegment pointer -> pointer.address();
            default -> throw new IllegalStateException(name + " returned " + result);
        };
    }

    /** Two threads calling first may both link; either handle is right, so no lock is needed. */
    private Linked linked() {
        Linked function = linked;
        if (function == null) {
            MethodHandle downcall = linker.get();
            int arity = downcall.type().parameterCount() - 1;
            function = new Linked(downcall.asSpreader(Object[].class, arity)
                    .asType(MethodType.methodType(Object.class, MemorySegment.class, Object[].class)), arity);
            linked = function;
        }
        return function;
    }

    private String operation(String detail) {
        return detail.isEmpty() ? name : name + "(" + detail + ")";
    }

    /** {@return a path or other string argument quoted the way strace shows it} */
    public static String quote(String value) {
        return '"' + value + '"';
    }
}
