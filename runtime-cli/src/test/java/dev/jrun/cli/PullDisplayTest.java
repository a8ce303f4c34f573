package dev.jrun.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jrun pull}'s progress: redrawn in place on a terminal, a line per finished layer otherwise. */
class PullDisplayTest {

    private static final String FIRST = "sha256:" + "1".repeat(64);
    private static final String SECOND = "sha256:" + "2".repeat(64);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long now;

    private PullDisplay display(boolean terminal) {
        return new PullDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal, () -> now);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATerminalEachLayerGetsOneLineWhenItIsDone() {
        PullDisplay display = display(false);
        display.started(FIRST, 2_000_000);
        display.started(SECOND, 500);
        now = 500_000_000L;
        display.transferred(FIRST, 1_000_000, 2_000_000);
        display.finished(SECOND, 500, false);
        now = 1_000_000_000L;
        display.finished(FIRST, 2_000_000, true);

        assertThat(output().lines()).containsExactly(
                "sha256:222222222222  already stored (500 B)",
                "sha256:111111111111  done  2.00 MB in 1.0 s (2.00 MB/s)");
    }

    @Test
    void onATerminalEveryLayerIsRedrawnInPlaceWithBytesAndRate() {
        PullDisplay display = display(true);
        display.started(FIRST, 2_000_000);
        now = 500_000_000L;
        display.transferred(FIRST, 1_000_000, 2_000_000);
        display.started(SECOND, 500);

        String screen = output();
        assertThat(screen).contains("\r\033[2Ksha256:111111111111  1.00 MB / 2.00 MB  2.00 MB/s\n")
                .contains("\033[1A").endsWith("\r\033[2Ksha256:222222222222  0 B / 500 B  0 B/s\n");

        now = 1_000_000_000L;
        display.finished(FIRST, 2_000_000, true);

        assertThat(output().substring(screen.length())).startsWith("\033[2A")
                .contains("sha256:111111111111  done  2.00 MB in 1.0 s (2.00 MB/s)\n");
    }

    @Test
    void aTerminalIsNotRedrawnForEveryRead() {
        PullDisplay display = display(true);
        display.started(FIRST, 2_000_000);
        String afterStart = output();

        now = 1_000_000L;
        display.transferred(FIRST, 10, 2_000_000);

        assertThat(output()).isEqualTo(afterStart);
    }
}
