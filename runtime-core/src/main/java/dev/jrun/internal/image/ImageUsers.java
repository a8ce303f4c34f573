package dev.jrun.internal.image;

import dev.jrun.image.InvalidImageException;
import dev.jrun.model.User;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An image config's User ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}) as
 * numbers, names looked up in the image's own {@code /etc/passwd} and {@code /etc/group}. Those
 * files are read only if neither they nor {@code /etc} are symbolic links, which would lead out
 * of the image's root on the host.
 */
public final class ImageUsers {

    private ImageUsers() {
    }

    /**
     * {@return the user {@code spec} names in a root; empty means root}
     *
     * @param rootFiles where a path of the root is on disk, empty when it has none
     */
    public static User resolve(Function<String, Optional<Path>> rootFiles, String spec) throws IOException {
        if (spec.isEmpty()) {
            return User.root();
        }
        String[] parts = spec.split(":", 2);
        Optional<String[]> passwd = parts[0].chars().allMatch(Character::isDigit) ? Optional.empty()
                : entry(rootFiles, "passwd", parts[0]);
        long uid = passwd.map(fields -> Long.parseLong(fields[2])).orElseGet(() -> number(parts[0], spec, "passwd"));
        long gid;
        if (parts.length == 2) {
            gid = parts[1].chars().allMatch(Character::isDigit) ? number(parts[1], spec, "group")
                    : entry(rootFiles, "group", parts[1]).map(fields -> Long.parseLong(fields[2]))
                    .orElseThrow(() -> new InvalidImageException("the image's user \"" + spec + "\": no group \""
                            + parts[1] + "\" in its /etc/group"));
        } else {
            gid = passwd.map(fields -> Long.parseLong(fields[3])).orElse(uid);
        }
        return User.of(uid, gid);
    }

    private static long number(String text, String spec, String file) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
            throw new InvalidImageException("the image's user \"" + spec + "\": no \"" + text + "\" in its /etc/"
                    + file);
        }
        return Long.parseLong(text);
    }

    private static Optional<String[]> entry(Function<String, Optional<Path>> rootFiles, String file, String name)
            throws IOException {
        boolean etcIsDirectory = rootFiles.apply("/etc").filter(etc -> Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS))
                .isPresent();
        Optional<Path> path = rootFiles.apply("/etc/" + file).filter(found -> Files.isRegularFile(found,
                LinkOption.NOFOLLOW_LINKS));
        if (!etcIsDirectory || path.isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(path.get());
        return lines.stream().map(line -> line.split(":", -1))
                .filter(fields -> fields.length >= 4 && fields[0].equals(name))
                .findFirst();
    }
}
