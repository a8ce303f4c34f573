package dev.jrun.model;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The capabilities a container's process keeps, in the five sets of the
 * kernel and of the OCI spec's {@code process.capabilities}. Immutable; every
 * {@code with} method returns a new value.
 *
 * <p>For a process running as root the bounding set decides what it has after
 * {@code execve}; for any other user only the ambient set survives
 * {@code execve} (unless the program file has capabilities of its own).
 *
 * <pre>{@code
 * Capabilities.dockerDefault().adding(Capability.SYS_ADMIN).dropping(Capability.MKNOD)
 * }</pre>
 */
public final class Capabilities {

    private static final Set<Capability> DOCKER_DEFAULT = EnumSet.of(
            Capability.CHOWN, Capability.DAC_OVERRIDE, Capability.FSETID, Capability.FOWNER, Capability.MKNOD,
            Capability.NET_RAW, Capability.SETGID, Capability.SETUID, Capability.SETFCAP, Capability.SETPCAP,
            Capability.NET_BIND_SERVICE, Capability.SYS_CHROOT, Capability.KILL, Capability.AUDIT_WRITE);
    private static final Set<Capability> RUNC_SPEC = EnumSet.of(
            Capability.AUDIT_WRITE, Capability.KILL, Capability.NET_BIND_SERVICE);

    private final Set<Capability> bounding;
    private final Set<Capability> effective;
    private final Set<Capability> permitted;
    private final Set<Capability> inheritable;
    private final Set<Capability> ambient;

    private Capabilities(Collection<Capability> bounding, Collection<Capability> effective,
                         Collection<Capability> permitted, Collection<Capability> inheritable,
                         Collection<Capability> ambient) {
        this.bounding = frozen(bounding);
        this.effective = frozen(effective);
        this.permitted = frozen(permitted);
        this.inheritable = frozen(inheritable);
        this.ambient = frozen(ambient);
    }

    /** {@return no capabilities in any set} */
    public static Capabilities none() {
        return of(List.of());
    }

    /** {@return the given capabilities in the bounding, effective and permitted sets, none inheritable or ambient} */
    public static Capabilities of(Collection<Capability> capabilities) {
        return new Capabilities(capabilities, capabilities, capabilities, List.of(), List.of());
    }

    /**
     * {@return the 14 capabilities Docker and containerd give a container (chown, dac_override,
     * fsetid, fowner, mknod, net_raw, setgid, setuid, setfcap, setpcap, net_bind_service,
     * sys_chroot, kill, audit_write): what {@code jrun run} gives}
     */
    public static Capabilities dockerDefault() {
        return of(DOCKER_DEFAULT);
    }

    /** {@return the three capabilities {@code runc spec} writes into a new config.json: audit_write, kill, net_bind_service} */
    public static Capabilities runcSpec() {
        return of(RUNC_SPEC);
    }

    /** {@return these capabilities with {@code added} also in the bounding, effective and permitted sets} */
    public Capabilities adding(Collection<Capability> added) {
        UnaryOperator<Set<Capability>> add = set -> union(set, added);
        return new Capabilities(add.apply(bounding), add.apply(effective), add.apply(permitted), inheritable, ambient);
    }

    /** {@return these capabilities with {@code added} also in the bounding, effective and permitted sets} */
    public Capabilities adding(Capability... added) {
        return adding(List.of(added));
    }

    /** {@return these capabilities with {@code dropped} removed from all five sets} */
    public Capabilities dropping(Collection<Capability> dropped) {
        UnaryOperator<Set<Capability>> drop = set -> difference(set, dropped);
        return new Capabilities(drop.apply(bounding), drop.apply(effective), drop.apply(permitted),
                drop.apply(inheritable), drop.apply(ambient));
    }

    /** {@return these capabilities with {@code dropped} removed from all five sets} */
    public Capabilities dropping(Capability... dropped) {
        return dropping(List.of(dropped));
    }

    /** {@return these capabilities with another bounding set (OCI {@code bounding})} */
    public Capabilities withBounding(Collection<Capability> set) {
        return new Capabilities(set, effective, permitted, inheritable, ambient);
    }

    /** {@return these capabilities with another effective set (OCI {@code effective})} */
    public Capabilities withEffective(Collection<Capability> set) {
        return new Capabilities(bounding, set, permitted, inheritable, ambient);
    }

    /** {@return these capabilities with another permitted set (OCI {@code permitted})} */
    public Capabilities withPermitted(Collection<Capability> set) {
        return new Capabilities(bounding, effective, set, inheritable, ambient);
    }

    /** {@return these capabilities with another inheritable set (OCI {@code inheritable})} */
    public Capabilities withInheritable(Collection<Capability> set) {
        return new Capabilities(bounding, effective, permitted, set, ambient);
    }

    /** {@return these capabilities with another ambient set (OCI {@code ambient})} */
    public Capabilities withAmbient(Collection<Capability> set) {
        return new Capabilities(bounding, effective, permitted, inheritable, set);
    }

    /** {@return the bounding set: the most any program run later can get} */
    public Set<Capability> bounding() {
        return bounding;
    }

    /** {@return the effective set: what the kernel checks} */
    public Set<Capability> effective() {
        return effective;
    }

    /** {@return the permitted set: what the process may make effective} */
    public Set<Capability> permitted() {
        return permitted;
    }

    /** {@return the inheritable set: what a program with matching file capabilities keeps across execve} */
    public Set<Capability> inheritable() {
        return inheritable;
    }

    /** {@return the ambient set: what a non-root process keeps across execve} */
    public Set<Capability> ambient() {
        return ambient;
    }

    /**
     * Checks the rules the kernel enforces when the sets are applied, so a mistake is
     * reported before anything starts.
     *
     * @throws IllegalArgumentException naming the first capability that breaks a rule
     */
    public void validate() {
        requireSubset(effective, permitted, "effective", "permitted");
        requireSubset(inheritable, bounding, "inheritable", "bounding");
        requireSubset(ambient, permitted, "ambient", "permitted");
        requireSubset(ambient, inheritable, "ambient", "inheritable");
    }

    private static void requireSubset(Set<Capability> subset, Set<Capability> superset, String subName, String superName) {
        for (Capability capability : subset) {
            if (!superset.contains(capability)) {
                throw new IllegalArgumentException(subName + " capability " + capability + " must also be in the "
                        + superName + " set");
            }
        }
    }

    private static Set<Capability> frozen(Collection<Capability> capabilities) {
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        capabilities.forEach(c -> set.add(Objects.requireNonNull(c)));
        return Collections.unmodifiableSet(set);
    }

    private static Set<Capability> union(Set<Capability> set, Collection<Capability> more) {
        Set<Capability> result = EnumSet.noneOf(Capability.class);
        result.addAll(set);
        result.addAll(more);
        return result;
    }

    private static Set<Capability> difference(Set<Capability> set, Collection<Capability> less) {
        Set<Capability> result = EnumSet.noneOf(Capability.class);
        result.addAll(set);
        result.removeAll(less);
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Capabilities that && bounding.equals(that.bounding) && effective.equals(that.effective)
                && permitted.equals(that.permitted) && inheritable.equals(that.inheritable) && ambient.equals(that.ambient);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bounding, effective, permitted, inheritable, ambient);
    }

    @Override
    public String toString() {
        return "Capabilities[bounding=" + bounding + ", effective=" + effective + ", permitted=" + permitted
                + ", inheritable=" + inheritable + ", ambient=" + ambient + "]";
    }
}
