package dev.jrun.image;

/**
 * A pull that the registry ended: the image is not there, access was refused, the registry could
 * not be reached or answered something a registry does not. Nothing of the pull is named in the
 * store. (A blob the registry sent that does not match its digest is an {@link InvalidImageException}.)
 */
public class ImagePullException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Why the pull ended. */
    public enum Reason {
        /** The registry has no manifest of that name, tag or digest. */
        MANIFEST_UNKNOWN,
        /** The registry (or its token service) refused access, with or without credentials. */
        UNAUTHORIZED,
        /** No connection to the registry could be made. */
        UNREACHABLE,
        /** The registry answered with an error or something that is not the Distribution API. */
        REGISTRY_ERROR
    }

    private final Reason reason;

    /**
     * @param reason  why the pull ended
     * @param message what happened, naming the image and the registry
     */
    public ImagePullException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * @param reason  why the pull ended
     * @param message what happened, naming the image and the registry
     * @param cause   the error that revealed it
     */
    public ImagePullException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** {@return why the pull ended} */
    public Reason reason() {
        return reason;
    }
}
