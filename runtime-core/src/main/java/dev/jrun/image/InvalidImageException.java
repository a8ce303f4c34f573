package dev.jrun.image;

/**
 * An image, or a source of one, that jrun refuses: a blob whose digest or size is not the one its
 * descriptor names, a layer entry that would leave its layer, a media type or platform jrun does
 * not run, a malformed reference or manifest. Nothing the refused content would have added is
 * kept in the store.
 */
public class InvalidImageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the blob, layer or entry */
    public InvalidImageException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause   the error that revealed it
     */
    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
