package dev.jrun.cli;

import dev.jrun.image.PullProgress;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code jrun pull}'s progress, a line per layer: on a terminal every layer's line is redrawn in
 * place as bytes arrive (bytes so far, size, rate); otherwise a line is printed when a layer is
 * done, so that logs get one line each.
 */
final class PullDisplay implements PullProgress {

    /** Redraws at most this often: a terminal needs no more, and a slow one would fall behind. */
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int SHORT_DIGEST = "sha256:".length() + 12;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private int drawnLines;
    private long lastDrawn;

    /** One layer's transfer. */
    private static final class Layer {
        final long size;
        final long started;
        long bytes;
        long ended = -1;
        boolean downloaded = true;

        Layer(long size, long started) {
            this.size = size;
            this.started = started;
        }
    }

    /**
     * @param out      where the lines go
     * @param terminal whether {@code out} is a terminal, on which lines are redrawn in place
     * @param nanoTime the clock rates are measured with
     */
    PullDisplay(PrintStream out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    /** {@return the display for stderr, redrawn in place when jrun runs on a terminal} */
    static PullDisplay onStderr() {
        return new PullDisplay(System.err, System.console() != null && System.console().isTerminal(), System::nanoTime);
    }

    @Override
    public void started(String digest, long size) {
        layers.put(digest, new Layer(size, nanoTime.getAsLong()));
        redraw(true);
    }

    @Override
    public void transferred(String digest, long bytes, long size) {
        layers.get(digest).bytes = bytes;
        redraw(false);
    }

    @Override
    public void finished(String digest, long size, boolean downloaded) {
        Layer layer = layers.get(digest);
        layer.bytes = size;
        layer.ended = nanoTime.getAsLong();
        layer.downloaded = downloaded;
        if (terminal) {
            redraw(true);
        } else {
            out.println(line(digest, layer));
        }
    }

    private void redraw(boolean now) {
        long time = nanoTime.getAsLong();
        if (!terminal || !now && time - lastDrawn < REDRAW_NANOS) {
            return;
        }
        lastDrawn = time;
        StringBuilder screen = new StringBuilder();
        if (drawnLines > 0) {
            screen.append("\033[").append(drawnLines).append('A');
        }
        layers.forEach((digest, layer) -> screen.append("\r\033[2K").append(line(digest, layer)).append('\n'));
        drawnLines = layers.size();
        out.print(screen);
        out.flush();
    }

    private String line(String digest, Layer layer) {
        String name = digest.substring(0, Math.min(digest.length(), SHORT_DIGEST));
        if (!layer.downloaded) {
            return name + "  already stored (" + HumanSize.of(layer.size) + ")";
        }
        long end = layer.ended >= 0 ? layer.ended : nanoTime.getAsLong();
        double seconds = Math.max(end - layer.started, 1) / 1e9;
        String rate = HumanSize.of((long) (layer.bytes / seconds)) + "/s";
        if (layer.ended >= 0) {
            return name + "  done  " + HumanSize.of(layer.size) + " in " + String.format("%.1f s", seconds)
                    + " (" + rate + ")";
        }
        return name + "  " + HumanSize.of(layer.bytes) + " / " + HumanSize.of(layer.size) + "  " + rate;
    }
}
