package dev.jrun.image;

/** No image of that name (or digest) is in the store. */
public class ImageNotFoundException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param reference the reference as given */
    public ImageNotFoundException(String reference) {
        super("no image " + reference + " in the store (pull or import it first: jrun pull " + reference
                + ", jrun import FILE " + reference + ")");
    }
}
