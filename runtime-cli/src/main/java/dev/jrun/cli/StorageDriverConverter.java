package dev.jrun.cli;

import dev.jrun.image.RootStorage;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --storage-driver}: podman's names, {@code overlay} and {@code vfs} (a copy of the layers). */
final class StorageDriverConverter implements ITypeConverter<RootStorage> {

    @Override
    public RootStorage convert(String value) {
        return switch (value) {
            case "overlay" -> RootStorage.OVERLAY;
            case "vfs" -> RootStorage.COPY;
            default -> throw new TypeConversionException("'" + value + "' is no storage driver: overlay (an overlayfs"
                    + " mount) or vfs (a copy of the image's layers)");
        };
    }
}
