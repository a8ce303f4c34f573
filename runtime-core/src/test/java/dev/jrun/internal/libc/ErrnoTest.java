package dev.jrun.internal.libc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** errno names and texts come from glibc. */
class ErrnoTest {

    @Test
    void namesAnErrnoSymbolically() {
        assertThat(Errno.name(2)).isEqualTo("ENOENT");
        assertThat(Errno.name(1)).isEqualTo("EPERM");
        assertThat(Errno.name(13)).isEqualTo("EACCES");
    }

    @Test
    void describesAnErrnoInWords() {
        assertThat(Errno.description(2)).isEqualTo("No such file or directory");
        assertThat(Errno.description(30)).isEqualTo("Read-only file system");
    }

    @Test
    void anUnknownErrnoGetsANumberedFallback() {
        assertThat(Errno.name(4000)).isEqualTo("E4000");
        assertThat(Errno.description(4000)).isEqualTo("Unknown error 4000");
    }
}
