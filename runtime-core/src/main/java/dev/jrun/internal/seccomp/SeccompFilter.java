package dev.jrun.internal.seccomp;

import dev.jrun.bindings.seccomp_data;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A compiled seccomp filter: the BPF program and the flags it is loaded with.
 * It can also be run in Java, to ask what it would do with a system call
 * before the kernel is asked.
 *
 * @param program   the instructions
 * @param flags     the {@code SECCOMP_FILTER_FLAG_*} bits
 * @param flagNames the flags by name, for display
 * @param sections  where the instructions for each ABI start, from the first, so that the listing
 *                  names a call number with the right ABI's table
 */
public record SeccompFilter(List<BpfInstruction> program, long flags, List<String> flagNames,
                            NavigableMap<Integer, Abi> sections) {

    public SeccompFilter {
        program = List.copyOf(program);
        flagNames = List.copyOf(flagNames);
        sections = Collections.unmodifiableNavigableMap(new TreeMap<>(sections));
    }

    /**
     * {@return whether loading the filter gives a listener for a seccomp agent: some call is notified to it
     * ({@code SECCOMP_FILTER_FLAG_NEW_LISTENER})}
     */
    public boolean hasListener() {
        return flagNames.contains(FilterFlags.NEW_LISTENER);
    }

    /** {@return the program as the kernel reads it: an array of {@code struct sock_filter}} */
    public byte[] bytes() {
        return BpfInstruction.encode(program);
    }

    /**
     * {@return the filter's verdict on a system call, computed by interpreting the program}
     *
     * @param auditArch the calling convention, an AUDIT_ARCH_* value
     * @param number    the system call number
     * @param args      up to six arguments; missing ones are 0
     */
    public int verdict(int auditArch, int number, long... args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = seccomp_data.allocate(arena);
            seccomp_data.nr(data, number);
            seccomp_data.arch(data, auditArch);
            MemorySegment argArray = seccomp_data.args(data);
            for (int i = 0; i < args.length; i++) {
                argArray.setAtIndex(ValueLayout.JAVA_LONG, i, args[i]);
            }
            return BpfInterpreter.run(program, data);
        }
    }

    /** {@return the verdict on a native system call} */
    public int nativeVerdict(int number, long... args) {
        return verdict(Architectures.nativeAuditArch(), number, args);
    }

    /** {@return whether the kernel would let a native system call through} */
    public boolean allows(int number, long... args) {
        return letsThrough(nativeVerdict(number, args));
    }

    /** {@return whether the kernel lets a call with this verdict through (ALLOW or LOG)} */
    public static boolean letsThrough(int verdict) {
        return Verdicts.letsThrough(verdict);
    }

    /** {@return whether the kernel asks the filter's seccomp agent what to do with a call with this verdict} */
    public static boolean asksAgent(int verdict) {
        return Verdicts.asksAgent(verdict);
    }

    /** {@return a verdict in words, e.g. {@code ERRNO(EPERM)}} */
    public static String describe(int verdict) {
        return Verdicts.describe(verdict);
    }

    /** {@return the program as readable pseudo-code, one instruction a line} */
    public String listing() {
        return BpfListing.of(program, sections);
    }
}
