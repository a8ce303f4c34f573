package dev.jrun.internal.image;

import dev.jrun.bindings.Libc;
import dev.jrun.image.InvalidImageException;
import dev.jrun.internal.sys.LayerSyscalls;
import dev.jrun.model.SystemCallException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.jrun.bindings.Libc.S_IFBLK;
import static dev.jrun.bindings.Libc.S_IFCHR;
import static dev.jrun.bindings.Libc.S_IFIFO;

/**
 * Unpacks one layer's tar into an empty directory, refusing every entry that would reach outside
 * it: an absolute name, a {@code ..} component, a name below a symbolic link (writing through
 * it), a hard link whose target is outside or below a symbolic link. The caller unpacks into a
 * temporary directory and deletes it when this throws, so nothing is left half-written.
 *
 * <p>OCI whiteouts become overlayfs's: {@code .wh.NAME} a 0/0 character device NAME (which
 * Linux 5.8 and later let any user create), {@code .wh..wh..opq} the {@code trusted.overlay.opaque=y}
 * attribute of its directory, or unprivileged {@code user.overlay.opaque=y}, which overlayfs reads
 * when mounted in a user namespace ({@code userxattr}). Owners and device nodes need root:
 * unprivileged, owners are the caller's (root in the container's user namespace) and device nodes
 * are skipped; modes are kept either way.
 *
 * <p>Extended attributes (PAX {@code SCHILY.xattr.*} and {@code LIBARCHIVE.xattr.*}, such as the
 * file capabilities of {@code security.capability}) are kept, after the owner (chown clears file
 * capabilities), as containers-storage keeps them. One the store's filesystem does not take
 * ({@code EOPNOTSUPP}) or this process may not set ({@code EPERM}: {@code trusted.*} and
 * {@code security.*} unprivileged, {@code user.*} on a symbolic link) is left out with a warning
 * naming the entry and the attribute; so is overlayfs's own ({@code trusted.overlay.*},
 * {@code user.overlay.*}), which only the store's whiteouts may set. Any other refusal fails the layer.
 */
final class LayerUnpacker {

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_WHITEOUT = ".wh..wh..opq";
    /** How overlayfs marks an opaque directory; only root may set {@code trusted.} attributes. */
    static final String OPAQUE = "trusted.overlay.opaque";
    /** The mark as overlayfs reads it when mounted with {@code userxattr}, in a user namespace. */
    static final String USER_OPAQUE = "user.overlay.opaque";
    private static final int PERMISSION_BITS = 07777;
    private static final List<String> OVERLAY_ATTRIBUTES = List.of("trusted.overlay.", "user.overlay.");

    private final Path root;
    private final Digest layer;
    private final boolean privileged;
    private final Consumer<String> warnings;
    /** Directory attributes are applied last, deepest first, so read-only directories still get their entries. */
    private final List<PendingDirectory> directories = new ArrayList<>();

    private record PendingDirectory(Path path, int depth, TarArchiveEntry entry, Map<String, byte[]> xattrs) {
    }

    /**
     * @param root       the empty directory to unpack into
     * @param layer      the layer's digest, named in errors
     * @param privileged whether this process may set owners, create device nodes and {@code trusted.} attributes (root)
     * @param warnings   told of each extended attribute left out
     */
    LayerUnpacker(Path root, Digest layer, boolean privileged, Consumer<String> warnings) {
        this.root = root;
        this.layer = layer;
        this.privileged = privileged;
        this.warnings = warnings;
    }

    /** Unpacks every entry of {@code tar}. */
    void unpack(InputStream tar) throws IOException {
        LayerTarInputStream entries = new LayerTarInputStream(tar);
        TarArchiveEntry entry;
        while ((entry = nextEntry(entries)) != null) {
            unpack(entry, entries.xattrs(), entries);
        }
        directories.sort(Comparator.comparingInt(PendingDirectory::depth).reversed());
        for (PendingDirectory directory : directories) {
            applyAttributes(directory.path(), directory.entry(), directory.xattrs());
        }
    }

    /**
     * {@return the next entry, or null at the end} A header that cannot be parsed is the layer's
     * fault (damaged content whose compression has no check before its end, or no tar at all).
     */
    private TarArchiveEntry nextEntry(LayerTarInputStream entries) throws IOException {
        try {
            return entries.getNextEntry();
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidImageException("layer " + layer + " is not a valid tar: " + e.getMessage(), e);
        }
    }

    private void unpack(TarArchiveEntry entry, Map<String, byte[]> xattrs, InputStream content) throws IOException {
        List<String> components = components(entry.getName(), entry.getName());
        if (components.isEmpty()) {
            return; // the layer's root itself: it stays as the store made it
        }
        Path parent = realParent(components, entry.getName(), true);
        String name = components.getLast();
        Path path = parent.resolve(name);
        if (name.startsWith(WHITEOUT_PREFIX)) {
            whiteout(parent, name, entry.getName());
            return;
        }
        if (entry.isDirectory()) {
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                AtomicFiles.deleteTree(path);
                Files.createDirectory(path);
            }
            directories.add(new PendingDirectory(path, components.size(), entry, xattrs));
            return;
        }
        AtomicFiles.deleteTree(path);
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            if (privileged) {
                setOwner(path, entry, LinkOption.NOFOLLOW_LINKS);
            }
            setXattrs(path, entry, xattrs);
        } else if (entry.isLink()) {
            Files.createLink(path, linkTarget(entry));
            setXattrs(path, entry, xattrs);
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            if (privileged) {
                int type = entry.isCharacterDevice() ? S_IFCHR() : entry.isBlockDevice() ? S_IFBLK() : S_IFIFO();
                LayerSyscalls.mknod(path, type, entry.getMode() & PERMISSION_BITS, entry.getDevMajor(),
                        entry.getDevMinor());
                setOwner(path, entry);
                // chown clears set-id bits: the mode goes last.
                Files.setAttribute(path, "unix:mode", entry.getMode() & PERMISSION_BITS);
                setXattrs(path, entry, xattrs);
            }
        } else if (entry.isFile()) {
            // CREATE_NEW never follows a symbolic link at the name.
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                content.transferTo(out);
            }
            applyAttributes(path, entry, xattrs);
        } else {
            throw new LayerEntryRefusedException(layer, entry.getName(), "unsupported tar entry type");
        }
    }

    private void whiteout(Path parent, String name, String entryName) throws IOException {
        if (name.equals(OPAQUE_WHITEOUT)) {
            LayerSyscalls.setXattr(parent, privileged ? OPAQUE : USER_OPAQUE, "y".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        String hidden = name.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw new LayerEntryRefusedException(layer, entryName, "a whiteout must name an entry");
        }
        Path path = parent.resolve(hidden);
        AtomicFiles.deleteTree(path);
        try {
            LayerSyscalls.mknod(path, S_IFCHR(), 0, 0, 0);
        } catch (SystemCallException e) {
            if (e.errno() != Libc.EPERM()) {
                throw e;
            }
            throw new IllegalStateException("layer " + layer + ": whiteout \"" + entryName + "\": " + e.getMessage()
                    + ": the image store's filesystem refuses overlayfs's whiteouts (0/0 character devices), as"
                    + " overlayfs does (and kernels before 5.8 for users other than root): keep the store on"
                    + " another filesystem", e);
        }
    }

    private Path linkTarget(TarArchiveEntry entry) throws IOException {
        List<String> components = components(entry.getLinkName(), entry.getName());
        if (components.isEmpty()) {
            throw new LayerEntryRefusedException(layer, entry.getName(), "a hard link to the layer's root");
        }
        Path target = realParent(components, entry.getName(), false).resolve(components.getLast());
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new LayerEntryRefusedException(layer, entry.getName(),
                    "hard link to \"" + entry.getLinkName() + "\", which is not in the layer before it");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new LayerEntryRefusedException(layer, entry.getName(), "hard link to a directory");
        }
        return target;
    }

    /**
     * {@return the entry's name as components below the layer's root} A leading {@code ./} is
     * tar's usual form; an absolute name or {@code ..} is refused.
     */
    private List<String> components(String name, String entryName) {
        if (name.startsWith("/")) {
            throw new LayerEntryRefusedException(layer, entryName, "absolute path \"" + name + "\"");
        }
        List<String> components = new ArrayList<>();
        for (String component : name.split("/")) {
            if (component.equals("..")) {
                throw new LayerEntryRefusedException(layer, entryName, "\"..\" in \"" + name + "\"");
            }
            if (!component.isEmpty() && !component.equals(".")) {
                components.add(component);
            }
        }
        return components;
    }

    /**
     * {@return the directory that holds the entry, every component of it checked to be a real
     * directory of this layer, not a symbolic link; missing ones are created when {@code create}}
     */
    private Path realParent(List<String> components, String entryName, boolean create) throws IOException {
        Path directory = root;
        for (String component : components.subList(0, components.size() - 1)) {
            directory = directory.resolve(component);
            if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && create) {
                Files.createDirectory(directory);
                continue;
            }
            BasicFileAttributes attributes = attributes(directory, entryName);
            if (attributes.isSymbolicLink()) {
                throw new LayerEntryRefusedException(layer, entryName,
                        "it goes through the symbolic link \"" + root.relativize(directory) + "\"");
            }
            if (!attributes.isDirectory()) {
                throw new LayerEntryRefusedException(layer, entryName,
                        "\"" + root.relativize(directory) + "\" is not a directory");
            }
        }
        return directory;
    }

    private BasicFileAttributes attributes(Path path, String entryName) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new LayerEntryRefusedException(layer, entryName,
                    "\"" + root.relativize(path) + "\" is not in the layer");
        }
    }

    /**
     * Owner, then mode (chown clears set-id bits), then extended attributes (chown clears file
     * capabilities), then modification time, of a file or directory.
     */
    private void applyAttributes(Path path, TarArchiveEntry entry, Map<String, byte[]> xattrs) throws IOException {
        if (privileged) {
            setOwner(path, entry);
        }
        // The name is this layer's own file or directory, never a link: following it is safe.
        Files.setAttribute(path, "unix:mode", entry.getMode() & PERMISSION_BITS);
        setXattrs(path, entry, xattrs);
        Files.setLastModifiedTime(path, entry.getLastModifiedTime());
    }

    /** Sets the entry's extended attributes on {@code path} itself, leaving out with a warning those not taken. */
    private void setXattrs(Path path, TarArchiveEntry entry, Map<String, byte[]> xattrs) {
        xattrs.forEach((name, value) -> {
            if (OVERLAY_ATTRIBUTES.stream().anyMatch(name::startsWith)) {
                warnings.accept(leftOut(entry, name, "overlayfs's own attribute, which a layer may not set"));
                return;
            }
            try {
                LayerSyscalls.setXattr(path, name, value);
            } catch (SystemCallException e) {
                if (e.errno() != Libc.EOPNOTSUPP() && e.errno() != Libc.EPERM()) {
                    throw new InvalidImageException("layer " + layer + ": entry \"" + entry.getName()
                            + "\": extended attribute " + name + " refused: " + e.errnoName(), e);
                }
                warnings.accept(leftOut(entry, name, e.errno() == Libc.EPERM() ? "EPERM (not permitted)"
                        : "EOPNOTSUPP (the store's filesystem does not support it)"));
            }
        });
    }

    private String leftOut(TarArchiveEntry entry, String name, String why) {
        return "layer " + layer + ": \"" + entry.getName() + "\": extended attribute " + name + " left out: " + why;
    }

    private void setOwner(Path path, TarArchiveEntry entry, LinkOption... options) throws IOException {
        long uid = entry.getLongUserId();
        long gid = entry.getLongGroupId();
        if (uid < 0 || uid > Integer.MAX_VALUE || gid < 0 || gid > Integer.MAX_VALUE) {
            throw new LayerEntryRefusedException(layer, entry.getName(), "owner out of range: " + uid + ":" + gid);
        }
        Files.setAttribute(path, "unix:uid", (int) uid, options);
        Files.setAttribute(path, "unix:gid", (int) gid, options);
    }
}
