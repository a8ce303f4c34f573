package dev.jrun.internal.sys;

import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.function.Supplier;

/**
 * A libc function that reports failure through {@code errno}, called through a downcall handle
 * that captures it.
 *
 * <p>Only for functions in which libc does real work ({@code sigaction}, {@code tcgetattr}): a
 * plain system call goes through {@link RawSyscall}, which shares one handle among all of them, and
 * a function that returns its error number or cannot fail is called through its jextract binding.
 * jextract's own handles do not capture errno, so the handle is rebuilt here from the generated
 * {@code $address()} and {@code $descriptor()} with
 * {@link Linker.Option#captureCallState(String...) captureCallState("errno")}; asking jextract's
 * class for them links jextract's handle too. A failing call becomes a {@link SystemCallException}
 * that names the function and its key argument.
 *
 * <p>A function is linked on its first call, not when it is declared: each downcall handle costs
 * milliseconds in a fresh JVM, so a command links only the functions it calls.
 */
public final class NativeFunction {

    private static final Linker LINKER = Linker.nativeLinker();

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
        return new NativeFunction(name,
                () -> LINKER.downcallHandle(address.get(), descriptor.get(), CapturedErrno.OPTION));
    }

    /**
     * Calls a function that returns -1 and sets errno on failure.
     *
     * @param detail the key argument shown in an error, e.g. a quoted path or a pid
     * @return the result, widened to long (a pointer result gives its address)
     */
    public long call(String detail, Object... args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CapturedErrno.allocate(arena);
            long result = invoke(state, args);
            if (result == -1) {
                throw CapturedErrno.failure(name, detail, state);
            }
            return result;
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

    /** {@return a path or other string argument quoted the way strace shows it} */
    public static String quote(String value) {
        return '"' + value + '"';
    }
}
