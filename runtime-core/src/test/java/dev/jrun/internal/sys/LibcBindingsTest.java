package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.utsname;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

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
        NativeFunction uname = NativeFunction.of("uname", Libc.uname$address(), Libc.uname$descriptor());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = utsname.allocate(arena);

            assertThat(uname.call("", name)).isZero();
            assertThat(utsname.release(name).getString(0)).isEqualTo(System.getProperty("os.version"));
        }
    }
}
