package dev.jrun.internal.flags;

import dev.jrun.bindings.mount_attr;
import dev.jrun.launch.Arg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code attr_set} and {@code attr_clr} of a {@code mount_setattr(2)} call,
 * by name. The access-time modes are one field, not bits: setting one clears
 * the others ({@code MOUNT_ATTR__ATIME} in {@code attr_clr}), and turning one
 * off returns to the kernel's default, relatime.
 *
 * @param set   attributes to turn on
 * @param clear attributes to turn off
 */
public record MountAttributes(List<Flag> set, List<Flag> clear) {

    /** No change. */
    public static final MountAttributes NONE = new MountAttributes(List.of(), List.of());

    private static final List<Flag> ATIME_MODES =
            List.of(Flag.MOUNT_ATTR_NOATIME, Flag.MOUNT_ATTR_STRICTATIME, Flag.MOUNT_ATTR_RELATIME);

    /** The per-mount attribute each per-mount {@code MS_*} flag corresponds to. */
    private static final Map<Flag, Flag> FOR_MOUNT_FLAG = Map.of(
            Flag.MS_RDONLY, Flag.MOUNT_ATTR_RDONLY,
            Flag.MS_NOSUID, Flag.MOUNT_ATTR_NOSUID,
            Flag.MS_NODEV, Flag.MOUNT_ATTR_NODEV,
            Flag.MS_NOEXEC, Flag.MOUNT_ATTR_NOEXEC,
            Flag.MS_NODIRATIME, Flag.MOUNT_ATTR_NODIRATIME,
            Flag.MS_NOSYMFOLLOW, Flag.MOUNT_ATTR_NOSYMFOLLOW,
            Flag.MS_NOATIME, Flag.MOUNT_ATTR_NOATIME,
            Flag.MS_STRICTATIME, Flag.MOUNT_ATTR_STRICTATIME,
            Flag.MS_RELATIME, Flag.MOUNT_ATTR_RELATIME);

    public MountAttributes {
        set = List.copyOf(set);
        clear = List.copyOf(clear);
    }

    /** {@return whether {@code mountFlag} is a per-mount flag, which {@code mount_setattr} can change} */
    public static boolean hasAttribute(Flag mountFlag) {
        return FOR_MOUNT_FLAG.containsKey(mountFlag);
    }

    /** {@return the attribute for a per-mount {@code MS_*} flag} */
    public static Flag forMountFlag(Flag mountFlag) {
        return FOR_MOUNT_FLAG.get(mountFlag);
    }

    /** {@return these attributes with {@code attribute} turned on} */
    public MountAttributes setting(Flag attribute) {
        List<Flag> newSet = new ArrayList<>(set);
        List<Flag> newClear = new ArrayList<>(clear);
        if (ATIME_MODES.contains(attribute)) {
            newSet.removeAll(ATIME_MODES);
            newClear.remove(Flag.MOUNT_ATTR_ATIME_MASK);
            newClear.add(Flag.MOUNT_ATTR_ATIME_MASK);
        } else {
            newSet.remove(attribute);
            newClear.remove(attribute);
        }
        newSet.add(attribute);
        return new MountAttributes(newSet, newClear);
    }

    /** {@return these attributes with {@code attribute} turned off} */
    public MountAttributes clearing(Flag attribute) {
        return ATIME_MODES.contains(attribute) ? setting(Flag.MOUNT_ATTR_RELATIME) : without(attribute);
    }

    private MountAttributes without(Flag attribute) {
        List<Flag> newSet = new ArrayList<>(set);
        List<Flag> newClear = new ArrayList<>(clear);
        newSet.remove(attribute);
        newClear.remove(attribute);
        newClear.add(attribute);
        return new MountAttributes(newSet, newClear);
    }

    /** {@return whether this changes nothing} */
    public boolean isEmpty() {
        return set.isEmpty() && clear.isEmpty();
    }

    /** {@return a {@code struct mount_attr} argument holding these attributes} */
    public Arg arg() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = mount_attr.allocate(arena);
            mount_attr.attr_set(attr, bits(set));
            mount_attr.attr_clr(attr, bits(clear));
            String text = "{attr_set=" + names(set) + ", attr_clr=" + names(clear) + "}";
            return new Arg.Bytes(attr.toArray(ValueLayout.JAVA_BYTE), text);
        }
    }

    /** {@return a {@code struct mount_attr} argument that changes only the propagation, to {@code type}} */
    public static Arg propagation(Flag type) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = mount_attr.allocate(arena);
            mount_attr.propagation(attr, type.value());
            return new Arg.Bytes(attr.toArray(ValueLayout.JAVA_BYTE), "{propagation=" + type.name() + "}");
        }
    }

    private static long bits(List<Flag> flags) {
        return flags.stream().mapToLong(Flag::value).reduce(0, (a, b) -> a | b);
    }

    private static String names(List<Flag> flags) {
        return flags.isEmpty() ? "0" : flags.stream().map(Flag::name).collect(Collectors.joining("|"));
    }
}
