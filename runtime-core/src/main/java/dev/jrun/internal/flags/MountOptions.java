package dev.jrun.internal.flags;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a mount's options ({@code mount(8)} and OCI's vocabulary) mean for the
 * system calls: flags for {@code mount(2)}, per-mount attributes for
 * {@code mount_setattr(2)} (how a bind mount is made read-only, nosuid...),
 * a propagation change, recursive attributes ({@code rro}...) and the rest,
 * passed on to the filesystem as data ({@code mode=755}).
 *
 * @param bind           a bind mount ({@code bind} or {@code rbind})
 * @param recursiveBind  {@code rbind}: the source's submounts come along
 * @param flags          {@code MS_*} flags asked for
 * @param cleared        {@code MS_*} flags explicitly turned off ({@code rw}, {@code suid}...)
 * @param propagation    the propagation flags ({@code MS_PRIVATE}, with {@code MS_REC} for an r-option)
 * @param recursive      attributes applied to the mount and everything below it
 * @param data           the options left to the filesystem, comma-separated, or empty
 * @param copyUp         {@code tmpcopyup}: a new tmpfs starts with a copy of what the image has at its target
 */
public record MountOptions(boolean bind, boolean recursiveBind, List<Flag> flags, List<Flag> cleared,
                           List<Flag> propagation, MountAttributes recursive, String data, boolean copyUp) {

    private enum Kind { SET, CLEAR, NONE, BIND, RBIND, PROPAGATION, RECURSIVE_SET, RECURSIVE_CLEAR, COPY_UP }

    private record Meaning(Kind kind, Flag flag, boolean recursive) {
    }

    private static final Map<String, Meaning> KNOWN = new LinkedHashMap<>();
    /** Options of runc, crun and the spec that jrun recognises but cannot honour yet, and why. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "idmap", "idmapped mounts need user namespaces, which jrun does not support yet",
            "ridmap", "idmapped mounts need user namespaces, which jrun does not support yet",
            "copy-symlink", "copying symlinks into a mount is not supported yet");

    static {
        flag("ro", "rw", Flag.MS_RDONLY);
        flag("nosuid", "suid", Flag.MS_NOSUID);
        flag("nodev", "dev", Flag.MS_NODEV);
        flag("noexec", "exec", Flag.MS_NOEXEC);
        flag("sync", "async", Flag.MS_SYNCHRONOUS);
        flag("dirsync", null, Flag.MS_DIRSYNC);
        flag("mand", "nomand", Flag.MS_MANDLOCK);
        flag("noatime", "atime", Flag.MS_NOATIME);
        flag("nodiratime", "diratime", Flag.MS_NODIRATIME);
        flag("relatime", "norelatime", Flag.MS_RELATIME);
        flag("strictatime", "nostrictatime", Flag.MS_STRICTATIME);
        flag("iversion", "noiversion", Flag.MS_I_VERSION);
        flag("lazytime", "nolazytime", Flag.MS_LAZYTIME);
        flag("silent", "loud", Flag.MS_SILENT);
        flag("nosymfollow", null, Flag.MS_NOSYMFOLLOW);
        flag("remount", null, Flag.MS_REMOUNT);
        KNOWN.put("defaults", new Meaning(Kind.NONE, null, false));
        KNOWN.put("bind", new Meaning(Kind.BIND, null, false));
        KNOWN.put("rbind", new Meaning(Kind.RBIND, null, false));
        KNOWN.put("tmpcopyup", new Meaning(Kind.COPY_UP, null, false));
        propagation("private", Flag.MS_PRIVATE);
        propagation("shared", Flag.MS_SHARED);
        propagation("slave", Flag.MS_SLAVE);
        propagation("unbindable", Flag.MS_UNBINDABLE);
        recursive("rro", "rrw", Flag.MOUNT_ATTR_RDONLY);
        recursive("rnosuid", "rsuid", Flag.MOUNT_ATTR_NOSUID);
        recursive("rnodev", "rdev", Flag.MOUNT_ATTR_NODEV);
        recursive("rnoexec", "rexec", Flag.MOUNT_ATTR_NOEXEC);
        recursive("rnodiratime", "rdiratime", Flag.MOUNT_ATTR_NODIRATIME);
        recursive("rnosymfollow", "rsymfollow", Flag.MOUNT_ATTR_NOSYMFOLLOW);
        recursive("rnoatime", "ratime", Flag.MOUNT_ATTR_NOATIME);
        recursive("rstrictatime", "rnostrictatime", Flag.MOUNT_ATTR_STRICTATIME);
        recursive("rrelatime", "rnorelatime", Flag.MOUNT_ATTR_RELATIME);
    }

    /** Registers an option that sets {@code flag} and, when named, the one that clears it. */
    private static void flag(String setName, String clearName, Flag flag) {
        KNOWN.put(setName, new Meaning(Kind.SET, flag, false));
        if (clearName != null) {
            KNOWN.put(clearName, new Meaning(Kind.CLEAR, flag, false));
        }
    }

    private static void propagation(String name, Flag flag) {
        KNOWN.put(name, new Meaning(Kind.PROPAGATION, flag, false));
        KNOWN.put("r" + name, new Meaning(Kind.PROPAGATION, flag, true));
    }

    private static void recursive(String setName, String clearName, Flag attribute) {
        KNOWN.put(setName, new Meaning(Kind.RECURSIVE_SET, attribute, true));
        KNOWN.put(clearName, new Meaning(Kind.RECURSIVE_CLEAR, attribute, true));
    }

    /**
     * {@return what {@code options} mean for a mount of filesystem {@code type}}
     *
     * @throws IllegalArgumentException for an option jrun recognises but does not support, a
     *                                  superblock option on a bind mount, where it would have no effect,
     *                                  or {@code tmpcopyup} on anything but a tmpfs
     */
    public static MountOptions parse(String type, List<String> options) {
        boolean bind = type.equals("bind");
        boolean recursiveBind = false;
        boolean copyUp = false;
        List<Flag> flags = new ArrayList<>();
        List<Flag> cleared = new ArrayList<>();
        List<Flag> propagation = new ArrayList<>();
        MountAttributes recursive = MountAttributes.NONE;
        List<String> data = new ArrayList<>();
        for (String option : options) {
            String reason = UNSUPPORTED.get(option);
            if (reason != null) {
                throw new IllegalArgumentException("mount option \"" + option + "\" is not supported: " + reason);
            }
            Meaning meaning = KNOWN.get(option);
            if (meaning == null) {
                data.add(option);
                continue;
            }
            switch (meaning.kind()) {
                case SET -> {
                    flags.remove(meaning.flag());
                    flags.add(meaning.flag());
                    cleared.remove(meaning.flag());
                }
                case CLEAR -> {
                    flags.remove(meaning.flag());
                    cleared.remove(meaning.flag());
                    cleared.add(meaning.flag());
                }
                case NONE -> { }
                case COPY_UP -> copyUp = true;
                case BIND -> bind = true;
                case RBIND -> {
                    bind = true;
                    recursiveBind = true;
                }
                case PROPAGATION -> {
                    propagation.clear();
                    if (meaning.recursive()) {
                        propagation.add(Flag.MS_REC);
                    }
                    propagation.add(meaning.flag());
                }
                case RECURSIVE_SET -> recursive = recursive.setting(meaning.flag());
                case RECURSIVE_CLEAR -> recursive = recursive.clearing(meaning.flag());
            }
        }
        if (bind) {
            for (Flag flag : flags) {
                if (!MountAttributes.hasAttribute(flag) && !flag.equals(Flag.MS_REMOUNT)) {
                    throw new IllegalArgumentException("mount option for " + flag.name()
                            + " has no effect on a bind mount: it changes the filesystem, not the mount");
                }
            }
        }
        if (copyUp && (bind || !type.equals("tmpfs"))) {
            throw new IllegalArgumentException("mount option \"tmpcopyup\" copies the image's content into a"
                    + " new tmpfs: it applies to a tmpfs only, not to " + (bind ? "a bind mount" : type));
        }
        return new MountOptions(bind, recursiveBind, List.copyOf(flags), List.copyOf(cleared),
                List.copyOf(propagation), recursive, String.join(",", data), copyUp);
    }

    /**
     * {@return the flags for a propagation option such as {@code rprivate}}
     *
     * @throws IllegalArgumentException if {@code option} is no propagation
     */
    public static List<Flag> requirePropagation(String option) {
        Meaning meaning = KNOWN.get(option);
        if (meaning == null || meaning.kind() != Kind.PROPAGATION) {
            throw new IllegalArgumentException("unknown mount propagation \"" + option
                    + "\": use private, slave, shared or unbindable, each also with an r prefix");
        }
        return meaning.recursive() ? List.of(Flag.MS_REC, meaning.flag()) : List.of(meaning.flag());
    }

    /** {@return every mount option jrun understands, as OCI's features document lists them} */
    public static SortedSet<String> known() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(KNOWN.keySet()));
    }

    /** {@return whether this is a remount of what is already mounted at the target} */
    public boolean remount() {
        return flags.contains(Flag.MS_REMOUNT);
    }

    /** {@return the attributes that make a bind mount what the per-mount flags ask for} */
    public MountAttributes bindAttributes() {
        MountAttributes attributes = MountAttributes.NONE;
        for (Flag flag : flags) {
            if (MountAttributes.hasAttribute(flag)) {
                attributes = attributes.setting(MountAttributes.forMountFlag(flag));
            }
        }
        for (Flag flag : cleared) {
            if (MountAttributes.hasAttribute(flag)) {
                attributes = attributes.clearing(MountAttributes.forMountFlag(flag));
            }
        }
        return attributes;
    }

    /** {@return the data argument for {@code mount(2)}, when there is one} */
    public Optional<String> dataArgument() {
        return data.isEmpty() ? Optional.empty() : Optional.of(data);
    }
}
