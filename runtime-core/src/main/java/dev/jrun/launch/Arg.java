package dev.jrun.launch;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One argument of a launch step. The stub sees every argument as a 64-bit
 * word; the kinds differ in how that word is made when the plan is encoded.
 */
public sealed interface Arg {

    /** The null pointer. */
    Arg NULL = new Value(0, "NULL");

    /** How strace would show this argument. */
    String render();

    /** An immediate value: a number, a descriptor, a set of flags. */
    record Value(long value, String text) implements Arg {
        @Override
        public String render() {
            return text;
        }
    }

    /** A pointer to a NUL-terminated string. */
    record Text(String value) implements Arg {
        @Override
        public String render() {
            return '"' + value + '"';
        }
    }

    /** A pointer to raw bytes: a C struct laid out with the generated bindings. */
    record Bytes(byte[] bytes, String text) implements Arg {
        /** Copies what it is given, so the argument never changes. */
        public Bytes {
            bytes = bytes.clone();
        }

        /** {@return a copy of the bytes} */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String render() {
            return text;
        }
    }

    /**
     * A pointer to a C struct whose pointer fields point at other arguments' data, such as a
     * {@code struct msghdr} and its iovec.
     *
     * @param bytes    the struct, laid out with the generated bindings
     * @param pointers for each pointer field, its byte offset and what it points at
     * @param text     how to show it
     */
    record Struct(byte[] bytes, Map<Long, Arg> pointers, String text) implements Arg {
        /** Copies what it is given, so the argument never changes. */
        public Struct {
            bytes = bytes.clone();
            pointers = Map.copyOf(pointers);
        }

        /** {@return a copy of the bytes} */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String render() {
            return text;
        }
    }

    /**
     * A pointer to a {@code struct sock_fprog}: a classic BPF program, such as a seccomp filter.
     * A plan lists the program in full after its steps.
     *
     * @param instructions the {@code struct sock_filter} array
     * @param length       the number of instructions
     * @param listing      makes the program's readable pseudo-code, one instruction a line (only
     *                     a printed plan needs it, so a launch does not pay for it)
     */
    record FilterProgram(byte[] instructions, int length, Supplier<String> listing) implements Arg {
        /** Copies what it is given, so the argument never changes. */
        public FilterProgram {
            instructions = instructions.clone();
        }

        /** {@return a copy of the instructions} */
        @Override
        public byte[] instructions() {
            return instructions.clone();
        }

        @Override
        public String render() {
            return "{len=" + length + ", filter=<listed below>}";
        }
    }

    /** A pointer to a NULL-terminated array of strings, as {@code execve} takes for argv and envp. */
    record TextArray(List<String> values) implements Arg {
        /** Copies what it is given, so the argument never changes. */
        public TextArray {
            values = List.copyOf(values);
        }

        @Override
        public String render() {
            return values.stream().map(v -> '"' + v + '"').collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** The value an earlier step returned, such as the descriptor {@code socket} gave. */
    record ResultOf(int step) implements Arg {
        @Override
        public String render() {
            return "$" + step;
        }
    }

    /** A pointer to the 64-bit word holding what an earlier step returned. */
    record AddressOfResult(int step) implements Arg {
        @Override
        public String render() {
            return "&$" + step;
        }
    }

    /** {@return an immediate number shown in decimal} */
    static Arg number(long value) {
        return new Value(value, Long.toString(value));
    }

    /** {@return an immediate value shown by its symbolic name} */
    static Arg named(long value, String name) {
        return new Value(value, name);
    }

    /** {@return a file mode, shown in octal as strace does} */
    static Arg mode(int mode) {
        return new Value(mode, String.format("0%o", mode));
    }

    /** {@return a string argument} */
    static Arg text(String value) {
        return new Text(value);
    }
}
