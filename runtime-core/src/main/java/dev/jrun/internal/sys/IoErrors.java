package dev.jrun.internal.sys;

import dev.jrun.model.SystemCallException;

import java.io.IOException;
import java.util.function.IntSupplier;

/** Streams must throw {@link IOException}: this turns a failed call into one, keeping the errno text. */
final class IoErrors {

    private IoErrors() {
    }

    static int io(IntSupplier call) throws IOException {
        try {
            return call.getAsInt();
        } catch (SystemCallException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
