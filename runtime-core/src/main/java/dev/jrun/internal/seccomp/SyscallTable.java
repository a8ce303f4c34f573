package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The system calls of this architecture by name and number, read from the
 * generated {@code SYS_*} constants of the bindings, so no number is typed by
 * hand and a regenerated binding set brings new calls with it.
 */
public final class SyscallTable {

    private static final String PREFIX = "SYS_";
    private static final SyscallTable NATIVE = load();

    private final SortedMap<String, Integer> byName;
    private final Map<Integer, String> byNumber;

    private SyscallTable(SortedMap<String, Integer> byName) {
        this.byName = Collections.unmodifiableSortedMap(byName);
        Map<Integer, String> numbers = new TreeMap<>();
        byName.forEach((name, number) -> numbers.putIfAbsent(number, name));
        this.byNumber = Collections.unmodifiableMap(numbers);
    }

    /** {@return the system calls of the architecture the bindings were generated for} */
    public static SyscallTable nativeTable() {
        return NATIVE;
    }

    /** {@return the number of the system call {@code name}, if this architecture has it} */
    public Optional<Integer> number(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** {@return the name of system call {@code number}, if it has one} */
    public Optional<String> name(int number) {
        return Optional.ofNullable(byNumber.get(number));
    }

    /** {@return every system call name, sorted} */
    public SortedMap<String, Integer> all() {
        return byName;
    }

    private static SyscallTable load() {
        SortedMap<String, Integer> names = new TreeMap<>();
        for (Method method : Libc.class.getMethods()) {
            if (method.getName().startsWith(PREFIX) && method.getParameterCount() == 0
                    && Modifier.isStatic(method.getModifiers()) && method.getReturnType() == int.class) {
                names.put(method.getName().substring(PREFIX.length()), invoke(method));
            }
        }
        return new SyscallTable(names);
    }

    private static int invoke(Method constant) {
        try {
            return (int) constant.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("read binding constant " + constant.getName(), e);
        }
    }
}
