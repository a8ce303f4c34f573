package dev.jrun.internal.image;

import dev.jrun.image.InvalidImageException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, {@code sha256:<64 hex digits>}: the only algorithm OCI images use in
 * practice, and the only one accepted, so a digest is always safe as a file name.
 */
public record Digest(String hex) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String PREFIX = "sha256:";

    /** @param hex 64 lower-case hex digits */
    public Digest {
        if (!SHA256.matcher(hex).matches()) {
            throw new InvalidImageException("not a sha256 digest: " + hex);
        }
    }

    /** {@return the digest written {@code sha256:<hex>}} */
    public static Digest parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new InvalidImageException("unsupported digest " + text + " (only sha256:<hex> is supported)");
        }
        return new Digest(text.substring(PREFIX.length()));
    }

    /** {@return the digest of {@code bytes}} */
    public static Digest of(byte[] bytes) {
        return fromRaw(newSha256().digest(bytes));
    }

    /** {@return the digest a finished hash computed} */
    static Digest of(MessageDigest finished) {
        return fromRaw(finished.digest());
    }

    private static Digest fromRaw(byte[] raw) {
        return new Digest(HexFormat.of().formatHex(raw));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@return the first 12 hex digits, as {@code docker images} shows an ID} */
    public String shortId() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return PREFIX + hex;
    }
}
