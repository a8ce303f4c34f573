package dev.jrun.internal.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Resolves a path inside a root filesystem the way the kernel would after
 * {@code chroot} into it: symlinks, absolute or relative, and {@code ..} never
 * leave the root. A mount target resolved this way cannot be redirected onto
 * the host by a symlink planted in an image.
 */
final class ContainedPath {

    /** Linux gives up after this many symlinks in one lookup (ELOOP). */
    private static final int MAX_SYMLINKS = 40;

    private ContainedPath() {
    }

    /**
     * {@return the absolute path inside {@code root} that {@code path} denotes; components that do
     * not exist yet are kept as written}
     *
     * @throws IllegalArgumentException on a symlink loop
     */
    static String resolve(Path root, String path) {
        return resolve(new RootFiles(root, Optional.empty()), path, directory -> false);
    }

    /**
     * {@return the absolute path inside {@code root} that {@code path} denotes, where the contents of
     * directories for which {@code hidden} holds are not what is on disk (something is mounted
     * there): names in them are kept as written}
     *
     * @throws IllegalArgumentException on a symlink loop
     */
    static String resolve(RootFiles root, String path, Predicate<String> hidden) {
        Deque<String> pending = new ArrayDeque<>(components(path));
        List<String> resolved = new ArrayList<>();
        int symlinks = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.removeLast();
                }
                continue;
            }
            String parent = "/" + String.join("/", resolved);
            Optional<Path> link = hidden.test(parent) ? Optional.empty()
                    : root.find(parent.equals("/") ? "/" + name : parent + "/" + name).filter(Files::isSymbolicLink);
            if (link.isEmpty()) {
                resolved.add(name);
                continue;
            }
            if (++symlinks > MAX_SYMLINKS) {
                throw new IllegalArgumentException("too many symlinks resolving " + path + " in " + root.root());
            }
            String target = readLink(link.get());
            if (target.startsWith("/")) {
                resolved.clear();
            }
            List<String> expanded = components(target);
            for (int i = expanded.size() - 1; i >= 0; i--) {
                pending.addFirst(expanded.get(i));
            }
        }
        return "/" + String.join("/", resolved);
    }

    private static List<String> components(String path) {
        List<String> names = new ArrayList<>();
        for (String name : path.split("/")) {
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        return names;
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("readlink " + link, e);
        }
    }
}
