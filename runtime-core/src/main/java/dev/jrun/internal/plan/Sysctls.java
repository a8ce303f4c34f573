package dev.jrun.internal.plan;

import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Kernel parameters a container may set: only those that belong to one of its
 * own namespaces (the list runc and the kernel's namespace code agree on), so
 * a container can never change the host's.
 */
public final class Sysctls {

    private static final Set<String> IPC = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final Set<String> UTS = Set.of("kernel.hostname", "kernel.domainname");

    private Sysctls() {
    }

    /**
     * {@return the parameter's file under {@code /proc/sys}, e.g. {@code net/ipv4/ip_forward}}
     *
     * @throws IllegalArgumentException if a component is empty, {@code .} or {@code ..}
     */
    public static String path(String name) {
        List<String> components = components(name);
        for (String component : components) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                throw new IllegalArgumentException("invalid sysctl name \"" + name + "\"");
            }
        }
        return String.join("/", components);
    }

    /**
     * Refuses a parameter that does not belong to a namespace the container has of its own.
     *
     * @throws IllegalArgumentException naming the parameter and why
     */
    public static void requireIsolated(String name, NamespaceSet namespaces) {
        Optional<Namespace> namespace = namespaceOf(String.join(".", components(name)));
        if (namespace.isEmpty()) {
            throw new IllegalArgumentException("sysctl " + name + " is not namespaced: setting it would change the host");
        }
        if (!namespaces.isolates(namespace.get())) {
            throw new IllegalArgumentException("sysctl " + name + " belongs to the " + namespace.get().procName()
                    + " namespace, which the container shares with the host: setting it would change the host");
        }
    }

    private static Optional<Namespace> namespaceOf(String dotted) {
        if (IPC.contains(dotted) || dotted.startsWith("fs.mqueue.")) {
            return Optional.of(Namespace.IPC);
        }
        if (UTS.contains(dotted)) {
            return Optional.of(Namespace.UTS);
        }
        if (dotted.startsWith("net.")) {
            return Optional.of(Namespace.NETWORK);
        }
        return Optional.empty();
    }

    private static List<String> components(String name) {
        return List.of(name.split(name.contains("/") ? "/" : "\\.", -1));
    }
}
