package dev.jrun.image;

/**
 * What a pull reports of each layer it fetches, for a progress display. The calls for one pull
 * come from the thread that pulls, one layer after another; they must return quickly.
 */
public interface PullProgress {

    /** Reports nothing. */
    PullProgress NONE = new PullProgress() {
    };

    /**
     * A layer is about to be fetched, or is found already stored.
     *
     * @param digest the layer's digest, {@code sha256:<hex>}
     * @param size   its size in bytes, as its manifest gives it
     */
    default void started(String digest, long size) {
    }

    /**
     * More of a layer arrived.
     *
     * @param digest the layer's digest
     * @param bytes  how many bytes of it arrived so far
     * @param size   its size in bytes
     */
    default void transferred(String digest, long bytes, long size) {
    }

    /**
     * A layer is in the store, its digest and size verified.
     *
     * @param digest     the layer's digest
     * @param size       its size in bytes
     * @param downloaded false when the store already held it and nothing was fetched
     */
    default void finished(String digest, long size, boolean downloaded) {
    }
}
