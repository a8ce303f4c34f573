package dev.jrun.cli;

import dev.jrun.model.FilesystemSetup;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.List;

/** Parses {@code --tmpfs PATH[:OPTIONS]}, OPTIONS comma-separated, into the checked mount. */
final class TmpfsConverter implements ITypeConverter<FilesystemSetup.Generic> {

    @Override
    public FilesystemSetup.Generic convert(String value) {
        int colon = value.indexOf(':');
        String target = colon < 0 ? value : value.substring(0, colon);
        List<String> options = colon < 0 || colon == value.length() - 1 ? List.of()
                : Arrays.asList(value.substring(colon + 1).split(",", -1));
        try {
            return FilesystemSetup.tmpfs(target, options);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
