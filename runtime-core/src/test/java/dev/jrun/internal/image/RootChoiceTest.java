package dev.jrun.internal.image;

import dev.jrun.bindings.Libc;
import dev.jrun.image.RootStorage;
import dev.jrun.model.SystemCallException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Overlay or copy, on the overlay mount's errno; a way asked for is the only one tried. */
class RootChoiceTest {

    private final List<String> tried = new ArrayList<>();

    private RootChoice.Maker overlayFailingWith(int errno) {
        return () -> {
            tried.add("overlay");
            throw new SystemCallException("mount(\"overlay on /store/containers/x/merged\")", errno);
        };
    }

    private RootChoice.Maker succeeding(String way) {
        return () -> tried.add(way);
    }

    @Test
    void withoutAChoiceAnOverlayThatMountsIsTheRoot() throws IOException {
        assertThat(RootChoice.make(Optional.empty(), succeeding("overlay"), succeeding("copy")))
                .isEqualTo(RootStorage.OVERLAY);
        assertThat(tried).containsExactly("overlay");
    }

    @Test
    void anOverlayfsTheKernelOrTheStoresFilesystemCannotDoGivesACopy() throws IOException {
        for (int errno : new int[] {Libc.ENODEV(), Libc.EINVAL(), Libc.EOPNOTSUPP(), Libc.ENOTSUP()}) {
            tried.clear();

            assertThat(RootChoice.make(Optional.empty(), overlayFailingWith(errno), succeeding("copy")))
                    .as("errno %d", errno).isEqualTo(RootStorage.COPY);
            assertThat(tried).containsExactly("overlay", "copy");
        }
    }

    @Test
    void anyOtherFailureOfTheOverlayIsReportedAndNothingIsCopied() {
        for (int errno : new int[] {Libc.EPERM(), Libc.ENOENT(), Libc.EACCES(), Libc.ENOMEM(), Libc.EBUSY()}) {
            tried.clear();

            assertThatThrownBy(() -> RootChoice.make(Optional.empty(), overlayFailingWith(errno), succeeding("copy")))
                    .isInstanceOfSatisfying(SystemCallException.class, e -> assertThat(e.errno()).isEqualTo(errno));
            assertThat(tried).containsExactly("overlay");
        }
    }

    @Test
    void anOverlayAskedForIsNotReplacedByACopy() {
        assertThatThrownBy(() -> RootChoice.make(Optional.of(RootStorage.OVERLAY), overlayFailingWith(Libc.ENODEV()),
                succeeding("copy"))).isInstanceOf(SystemCallException.class).hasMessageContaining("ENODEV");
        assertThat(tried).containsExactly("overlay");
    }

    @Test
    void aCopyAskedForIsMadeWithoutTryingTheOverlay() throws IOException {
        assertThat(RootChoice.make(Optional.of(RootStorage.COPY), succeeding("overlay"), succeeding("copy")))
                .isEqualTo(RootStorage.COPY);
        assertThat(tried).containsExactly("copy");
    }

    @Test
    void aFailedCopyCarriesWhyTheOverlayWasUnavailable() {
        RootChoice.Maker failingCopy = () -> {
            throw new IOException("copy bin/busybox: No space left on device");
        };

        assertThatThrownBy(() -> RootChoice.make(Optional.empty(), overlayFailingWith(Libc.ENODEV()), failingCopy))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessageContaining("ENODEV")));
    }
}
