package dev.jrun.internal.image;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.LayerSyscalls;
import dev.jrun.internal.sys.OpenDirectory;
import dev.jrun.model.SystemCallException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's root as a private copy of its image's unpacked layers (podman's {@code vfs}
 * driver), for where overlayfs cannot be mounted: each layer is merged onto the copy, bottom to
 * top, as overlayfs shows them. A whiteout (a 0/0 character device) removes the entry below it; an
 * opaque directory ({@code trusted.overlay.opaque=y}, or {@code user.overlay.opaque=y} in a store
 * unpacked without root) hides what the layers below have in it; a
 * directory over a directory merges with it, any other entry replaces what was there. Owners,
 * modes, times, extended attributes (where the copy's filesystem takes them; overlay's own are
 * not copied), symbolic links (as links), hard links within a layer and device nodes are kept.
 * The root directory itself stays as jrun made it, as an overlay's root is its upper directory.
 *
 * <p>Every entry is reached through a descriptor of its directory ({@link OpenDirectory}) and
 * created or changed by calls that never follow a symbolic link at its name, so no link of a layer
 * (to {@code /etc/passwd}, to {@code ../../..}, or a lower layer's link where an upper layer has a
 * directory, which is replaced, never entered) makes the copy read or write outside the layers
 * and the copy.
 */
final class RootCopy {

    private static final int PERMISSION_BITS = 07777;
    /** overlayfs's own attributes, with and without {@code userxattr}: interpreted here (the opaque mark), never copied. */
    private static final List<String> OVERLAY_ATTRIBUTES = List.of("trusted.overlay.", "user.overlay.");
    private static final String ATTRIBUTES = "unix:mode,uid,gid,dev,ino,rdev,nlink,lastAccessTime,lastModifiedTime";

    private final OpenDirectory root;
    /** The copies of this layer's files with several names, by the source's inode: the copy's path. */
    private final Map<Inode, String> linked = new HashMap<>();
    /** The entry being copied, for errors. */
    private String current;

    /** A file of a layer, whatever its names. */
    private record Inode(long device, long number) {
    }

    private RootCopy(OpenDirectory root) {
        this.root = root;
    }

    /**
     * Copies {@code layers} (their unpacked directories, the bottom one first) into the empty
     * directory {@code destination}.
     */
    static void copy(List<Path> layers, Path destination) throws IOException {
        try (OpenDirectory root = OpenDirectory.open(destination)) {
            RootCopy copy = new RootCopy(root);
            for (Path layer : layers) {
                try (OpenDirectory source = OpenDirectory.open(layer)) {
                    copy.linked.clear();
                    copy.current = "the root";
                    copy.merge(source, root, "");
                } catch (IOException | SystemCallException e) {
                    throw new IOException("copy " + copy.current + " of layer " + layer + " into the container root "
                            + destination + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Merges the entries of the directory {@code source} (at {@code path} in the root) into {@code target}. */
    private void merge(OpenDirectory source, OpenDirectory target, String path) throws IOException {
        Path directory = source.entry(".");
        if (LayerSyscalls.xattr(directory, LayerUnpacker.OPAQUE).isPresent()
                || LayerSyscalls.xattr(directory, LayerUnpacker.USER_OPAQUE).isPresent()) {
            for (String name : target.names()) {
                remove(target, name);
            }
        }
        for (String name : source.names()) {
            String entryPath = path.isEmpty() ? name : path + "/" + name;
            current = entryPath;
            Map<String, Object> attributes = attributes(source.entry(name));
            int type = (Integer) attributes.get("mode") & Libc.S_IFMT();
            if (type == Libc.S_IFCHR() && ((Number) attributes.get("rdev")).longValue() == 0) {
                remove(target, name);   // a whiteout
            } else if (type == Libc.S_IFDIR()) {
                if (!Files.isDirectory(target.entry(name), LinkOption.NOFOLLOW_LINKS)) {
                    remove(target, name);
                    Files.createDirectory(target.entry(name));
                }
                try (OpenDirectory from = source.directory(name); OpenDirectory to = target.directory(name)) {
                    merge(from, to, entryPath);
                }
                current = entryPath;
                // Last, so that the entries made in it leave its times as the layer has them.
                setAttributes(source.entry(name), target.entry(name), attributes);
            } else {
                remove(target, name);
                copy(source, target, name, entryPath, attributes);
            }
        }
    }

    /** Copies the entry {@code name}, no directory, of {@code source} into {@code target}, where nothing has that name. */
    private void copy(OpenDirectory source, OpenDirectory target, String name, String path,
                      Map<String, Object> attributes) throws IOException {
        Path from = source.entry(name);
        Path to = target.entry(name);
        if (((Number) attributes.get("nlink")).longValue() > 1) {
            Inode inode = new Inode(((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue());
            String first = linked.putIfAbsent(inode, path);
            if (first != null) {
                linkTo(first, to);
                return;
            }
        }
        int mode = (Integer) attributes.get("mode");
        int type = mode & Libc.S_IFMT();
        if (type == Libc.S_IFREG()) {
            copyContent(from, to);
        } else if (type == Libc.S_IFLNK()) {
            Files.createSymbolicLink(to, Files.readSymbolicLink(from));
        } else {
            // A device node, FIFO or socket: mknod makes each from its type bits and number.
            LayerSyscalls.mknod(to, mode, ((Number) attributes.get("rdev")).longValue());
        }
        setAttributes(from, to, attributes);
    }

    /** Makes {@code to} another name of the copy at {@code first}, reached with no symbolic link from the root. */
    private void linkTo(String first, Path to) throws IOException {
        int slash = first.lastIndexOf('/');
        if (slash < 0) {
            Files.createLink(to, root.entry(first));
            return;
        }
        try (OpenDirectory directory = root.directory(first.substring(0, slash))) {
            Files.createLink(to, directory.entry(first.substring(slash + 1)));
        }
    }

    private static void copyContent(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                     LinkOption.NOFOLLOW_LINKS)) {
            long size = in.size();
            for (long done = 0; done < size; ) {
                long moved = in.transferTo(done, size - done, out);
                if (moved == 0) {
                    break;   // the layer's file is shorter than it was: nothing changes a stored layer, but never spin
                }
                done += moved;
            }
        }
    }

    /**
     * Owner, then mode (chown clears the set-ID bits; a symbolic link has none), then extended
     * attributes (chown clears file capabilities), then times.
     */
    private static void setAttributes(Path from, Path to, Map<String, Object> attributes) throws IOException {
        Files.setAttribute(to, "unix:uid", attributes.get("uid"), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(to, "unix:gid", attributes.get("gid"), LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attributes.get("mode");
        if ((mode & Libc.S_IFMT()) != Libc.S_IFLNK()) {
            // chmod follows a link at the name, but this is the copy's own entry, which is none.
            Files.setAttribute(to, "unix:mode", mode & PERMISSION_BITS);
        }
        copyXattrs(from, to);
        LayerSyscalls.setTimes(to, (FileTime) attributes.get("lastAccessTime"), (FileTime) attributes.get("lastModifiedTime"));
    }

    private static void copyXattrs(Path from, Path to) {
        for (String name : LayerSyscalls.xattrNames(from)) {
            if (OVERLAY_ATTRIBUTES.stream().anyMatch(name::startsWith)) {
                continue;
            }
            LayerSyscalls.xattr(from, name).ifPresent(value -> {
                try {
                    LayerSyscalls.setXattr(to, name, value);
                } catch (SystemCallException e) {
                    if (!notTaken(e.errno())) {
                        throw e;
                    }
                }
            });
        }
    }

    /** Whether an extended attribute cannot be set on the copy because its filesystem or the entry's type does not take it. */
    private static boolean notTaken(int errno) {
        return errno == Libc.EOPNOTSUPP() || errno == Libc.ENOTSUP() || errno == Libc.EPERM();
    }

    /** Removes the entry {@code name} of {@code directory}, a directory with all it holds; nothing if there is none. */
    private static void remove(OpenDirectory directory, String name) throws IOException {
        Path entry = directory.entry(name);
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            try (OpenDirectory inside = directory.directory(name)) {
                for (String child : inside.names()) {
                    remove(inside, child);
                }
            }
        }
        try {
            Files.delete(entry);
        } catch (NoSuchFileException e) {
            // Nothing below has that name.
        }
    }

    private static Map<String, Object> attributes(Path entry) throws IOException {
        return Files.readAttributes(entry, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }
}
