package dev.jrun.internal.seccomp;

import dev.jrun.bindings.I386Syscalls;
import dev.jrun.bindings.Libc;
import dev.jrun.bindings.X32Syscalls;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The system calls of one ABI by name and number, read from generated
 * constants of the bindings ({@code SYS_*} of {@code <sys/syscall.h>} for
 * x86-64, {@code __NR_*} of the kernel's i386 and x32 headers), so no number is
 * typed by hand and a regenerated binding set brings new calls with it.
 */
public final class SyscallTable {

    private static final SyscallTable NATIVE = load(Libc.class, "SYS_");

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

    /** {@return the system calls of the x32 ABI, numbered with {@code __X32_SYSCALL_BIT} set} */
    static SyscallTable x32() {
        return Other.X32;
    }

    /** {@return the system calls of the i386 ABI} */
    static SyscallTable i386() {
        return Other.I386;
    }

    /** {@return the number of the system call {@code name}, if this ABI has it} */
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

    /** The tables only a profile that lists other ABIs needs, loaded the first time one does. */
    private static final class Other {
        static final SyscallTable X32 = load(X32Syscalls.class, "__NR_");
        static final SyscallTable I386 = load(I386Syscalls.class, "__NR_");
    }

    private static SyscallTable load(Class<?> constants, String prefix) {
        SortedMap<String, Integer> names = new TreeMap<>();
        for (Method method : constants.getMethods()) {
            String constant = method.getName();
            if (constant.startsWith(prefix) && isSystemCallName(constant.substring(prefix.length()))
                    && method.getParameterCount() == 0 && Modifier.isStatic(method.getModifiers())
                    && method.getReturnType() == int.class) {
                names.put(constant.substring(prefix.length()), invoke(method));
            }
        }
        return new SyscallTable(names);
    }

    /** System calls are named in lower case: {@code SYS_NMLN}, a length in {@code <sys/utsname.h>}, shares the prefix. */
    private static boolean isSystemCallName(String name) {
        return !name.isEmpty() && name.chars().noneMatch(Character::isUpperCase);
    }

    private static int invoke(Method constant) {
        try {
            return (int) constant.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("read binding constant " + constant.getName(), e);
        }
    }
}
