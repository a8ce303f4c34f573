package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.utsname;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generated bindings call the real libc. */
class LibcBindingsTest {

    @Test
    void getpidIsThisJvmsPid() {
        assertThat((long) Libc.getpid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void unameFillsTheGeneratedStruct() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = utsname.allocate(arena);

            assertThat(Libc.uname(name)).isZero();
            assertThat(utsname.sysname(name).getString(0)).isEqualTo("Linux");
            assertThat(utsname.machine(name).getString(0)).isEqualTo("x86_64");
        }
    }

    @Test
    void unameThroughTheErrnoCapturingWrapperAgreesWithTheDirectBinding() {
        NativeFunction uname = NativeFunction.of("uname", Libc::uname$address, Libc::uname$descriptor);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = utsname.allocate(arena);

            assertThat(uname.call("", name)).isZero();
            assertThat(utsname.release(name).getString(0)).isEqualTo(System.getProperty("os.version"));
        }
    }

    @Test
    void aFunctionIsLinkedOnItsFirstCallOnly() {
        AtomicInteger lookups = new AtomicInteger();
        NativeFunction getpid = NativeFunction.of("getpid", () -> {
            lookups.incrementAndGet();
            return Libc.getpid$address();
        }, Libc::getpid$descriptor);

        assertThat(lookups).as("lookups before the first call").hasValue(0);
        assertThat(getpid.call("")).isEqualTo(ProcessHandle.current().pid());
        assertThat(getpid.call("")).isEqualTo(ProcessHandle.current().pid());
        assertThat(lookups).as("lookups after two calls").hasValue(1);
    }

    @Test
    void aCallWithTheWrongNumberOfArgumentsIsRefusedByName() {
        NativeFunction getpid = NativeFunction.of("getpid", Libc::getpid$address, Libc::getpid$descriptor);

        assertThatThrownBy(() -> getpid.call("", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("getpid takes 0 arguments, given 1");
    }
}
