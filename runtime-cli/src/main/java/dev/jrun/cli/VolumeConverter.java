package dev.jrun.cli;

import dev.jrun.model.FilesystemSetup.Access;
import dev.jrun.model.FilesystemSetup;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;

/** Parses {@code -v SRC:DST[:ro|rw]}. */
final class VolumeConverter implements ITypeConverter<FilesystemSetup.Bind> {

    @Override
    public FilesystemSetup.Bind convert(String value) {
        String[] parts = value.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new TypeConversionException("expected SRC:DST or SRC:DST:ro, got '" + value + "'");
        }
        Access access = Access.READ_WRITE;
        if (parts.length == 3) {
            access = switch (parts[2]) {
                case "ro" -> Access.READ_ONLY;
                case "rw" -> Access.READ_WRITE;
                default -> throw new TypeConversionException("unknown volume mode '" + parts[2] + "' (use ro or rw)");
            };
        }
        return new FilesystemSetup.Bind(Path.of(parts[0]), parts[1], access);
    }
}
