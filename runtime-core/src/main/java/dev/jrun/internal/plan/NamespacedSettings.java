package dev.jrun.internal.plan;

import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rule for settings that change a namespace: the hostname and the domain name need a UTS
 * namespace apart from the host's, new or joined (as runc, which sets them in a joined one: a
 * podman pod's containers join its UTS namespace and set the pod's hostname), a sysctl a namespace the container has of its own ({@link Sysctls#requireIsolated}).
 * {@code Container.Builder.build()} throws the first refusal; the OCI mapper reports each at its
 * JSON path.
 */
public final class NamespacedSettings {

    /** The settings of the hostname and the domain name, as {@link Refusal#setting()} names them. */
    public static final String HOSTNAME = "hostname";
    /** The setting of the domain name. */
    public static final String DOMAINNAME = "domainname";

    /**
     * A setting refused.
     *
     * @param setting {@link #HOSTNAME}, {@link #DOMAINNAME} or the name of a sysctl
     * @param sysctl  whether the setting is a sysctl
     * @param message why, as {@code Container.Builder.build()} says it
     */
    public record Refusal(String setting, boolean sysctl, String message) {
    }

    private NamespacedSettings() {
    }

    /**
     * {@return each setting that would change a namespace the container shares, in the order given}
     *
     * @param hostNames  {@link #HOSTNAME} and {@link #DOMAINNAME}, for those that are set
     * @param sysctls    the names of the sysctls that are set
     * @param namespaces the container's namespaces
     */
    public static List<Refusal> refusals(List<String> hostNames, Collection<String> sysctls, NamespaceSet namespaces) {
        List<Refusal> refused = new ArrayList<>();
        if (!namespaces.isolates(Namespace.UTS)) {
            hostNames.forEach(name -> refused.add(new Refusal(name, false,
                    "setting the " + name + " needs a UTS namespace apart from the host's, new or joined")));
        }
        for (String name : sysctls) {
            try {
                Sysctls.requireIsolated(name, namespaces);
            } catch (IllegalArgumentException e) {
                refused.add(new Refusal(name, true, e.getMessage()));
            }
        }
        return refused;
    }
}
