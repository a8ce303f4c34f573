package dev.jrun.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which namespaces a container gets of its own and which existing ones it
 * joins. Immutable; every {@code with}/{@code without}/{@code joining} returns a
 * new set.
 *
 * <pre>{@code
 * NamespaceSet.isolated()                                   // pid, mount, uts, ipc, net, cgroup
 * NamespaceSet.isolated().without(Namespace.NETWORK)        // share the host's network
 * NamespaceSet.isolated().joining(Namespace.NETWORK, Path.of("/run/netns/lab"))
 * NamespaceSet.joiningAllOf(containerPid)                   // run inside a running container
 * }</pre>
 */
public final class NamespaceSet {

    private final Set<Namespace> created;
    private final Map<Namespace, Path> joined;

    private NamespaceSet(Set<Namespace> created, Map<Namespace, Path> joined) {
        this.created = Collections.unmodifiableSet(created);
        this.joined = Collections.unmodifiableMap(joined);
    }

    /** {@return new pid, mount, uts, ipc, network and cgroup namespaces: what {@code jrun run} gives} */
    public static NamespaceSet isolated() {
        return of(Namespace.PID, Namespace.MOUNT, Namespace.UTS, Namespace.IPC, Namespace.NETWORK, Namespace.CGROUP);
    }

    /** {@return a set that creates exactly the given namespaces} */
    public static NamespaceSet of(Namespace... created) {
        EnumSet<Namespace> set = EnumSet.noneOf(Namespace.class);
        Collections.addAll(set, created);
        return new NamespaceSet(set, new EnumMap<>(Namespace.class));
    }

    /**
     * {@return the namespaces of the running process {@code pid}: every kind it does not share with
     * this process is joined through {@code /proc/<pid>/ns}, none is created}
     *
     * @throws IllegalArgumentException if there is no such process
     */
    public static NamespaceSet joiningAllOf(int pid) {
        NamespaceSet set = of();
        for (Namespace namespace : Namespace.values()) {
            Path theirs = Path.of("/proc", Integer.toString(pid), "ns", namespace.procName());
            Path ours = Path.of("/proc/self/ns", namespace.procName());
            String theirIdentity = identity(theirs, pid);
            if (!theirIdentity.isEmpty() && !theirIdentity.equals(identity(ours, pid))) {
                set = set.joining(namespace, theirs);
            }
        }
        return set;
    }

    /** {@return what a namespace file links to, such as {@code net:[4026531840]}; empty when the kernel lacks the kind} */
    private static String identity(Path file, int pid) {
        try {
            return Files.readSymbolicLink(file).toString();
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(file.getParent())) {
                throw new IllegalArgumentException("no process " + pid + ": " + file.getParent() + " does not exist");
            }
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    /** {@return this set, also creating a new namespace of the given kind} */
    public NamespaceSet with(Namespace namespace) {
        return withKind(namespace, true, null);
    }

    /** {@return this set, sharing the caller's namespace of the given kind} */
    public NamespaceSet without(Namespace namespace) {
        return withKind(namespace, false, null);
    }

    /**
     * {@return this set, joining an existing namespace instead of creating one}
     *
     * @param namespace the kind of namespace
     * @param path      its file, e.g. {@code /proc/1234/ns/net} or a bind mount of one
     */
    public NamespaceSet joining(Namespace namespace, Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(namespace.procName() + " namespace path must be absolute: " + path);
        }
        return withKind(namespace, false, path);
    }

    /** {@return a copy where {@code namespace} is created, joined at {@code joinPath}, or shared (neither)} */
    private NamespaceSet withKind(Namespace namespace, boolean create, Path joinPath) {
        EnumSet<Namespace> set = copyOfCreated();
        Map<Namespace, Path> joins = copyOfJoined();
        set.remove(namespace);
        joins.remove(namespace);
        if (create) {
            set.add(namespace);
        }
        if (joinPath != null) {
            joins.put(namespace, joinPath);
        }
        return new NamespaceSet(set, joins);
    }

    /** {@return the namespaces created new for the container} */
    public Set<Namespace> created() {
        return created;
    }

    /** {@return the existing namespaces the container joins, by the path of their file} */
    public Map<Namespace, Path> joined() {
        return joined;
    }

    /** {@return whether the container gets a new namespace of this kind} */
    public boolean creates(Namespace namespace) {
        return created.contains(namespace);
    }

    /** {@return whether the container has a namespace of this kind apart from the host's, new or joined} */
    public boolean isolates(Namespace namespace) {
        return created.contains(namespace) || joined.containsKey(namespace);
    }

    private EnumSet<Namespace> copyOfCreated() {
        return created.isEmpty() ? EnumSet.noneOf(Namespace.class) : EnumSet.copyOf(created);
    }

    private Map<Namespace, Path> copyOfJoined() {
        Map<Namespace, Path> copy = new EnumMap<>(Namespace.class);
        copy.putAll(joined);
        return copy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NamespaceSet that && created.equals(that.created) && joined.equals(that.joined);
    }

    @Override
    public int hashCode() {
        return created.hashCode() * 31 + joined.hashCode();
    }

    @Override
    public String toString() {
        return "NamespaceSet[created=" + created + ", joined=" + joined + "]";
    }
}
