package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.Rlimit;
import dev.jrun.model.SeccompProfile;
import dev.jrun.model.User;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The configuration a container started from a {@link Container.Builder} rather than a bundle
 * keeps in its state directory: what {@code exec} and {@code list} read from a bundle's
 * config.json. It holds the process the container was started with (user, environment, working
 * directory, capabilities, no_new_privs, rlimits), so that a process run in it later gets the same
 * and no more, its seccomp filter, which such a process runs under too, and its root.
 */
final class ExecConfig {

    private ExecConfig() {
    }

    /** {@return the configuration of {@code container}, whose root is {@code root} on the host} */
    static Spec of(Container container, Path root) {
        User user = container.user();
        Spec.Process process = new Spec.Process(false, null,
                new Spec.User(user.uid(), user.gid(), null, user.additionalGids(), null), container.command(), null,
                container.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                container.filesystem().workingDirectory(),
                container.capabilities().map(ExecConfig::capabilities).orElse(null),
                container.rlimits().stream().map(ExecConfig::rlimit).toList(), container.noNewPrivileges(),
                null, null, null, null, null, null);
        Spec.Linux linux = new Spec.Linux(null, null, null, null, null, null, null, null, null, null,
                container.seccomp().map(ExecConfig::seccomp).orElse(null), null, null, null, null, null, null);
        return new Spec(State.OCI_VERSION, process, new Spec.Root(root.toString(), false), null, null, null, null,
                null, linux, null);
    }

    private static Spec.Capabilities capabilities(Capabilities sets) {
        return new Spec.Capabilities(names(sets.bounding()), names(sets.effective()), names(sets.inheritable()),
                names(sets.permitted()), names(sets.ambient()));
    }

    private static List<String> names(Set<Capability> capabilities) {
        return capabilities.stream().map(Capability::ociName).sorted().toList();
    }

    private static Spec.Rlimit rlimit(Rlimit limit) {
        return new Spec.Rlimit(limit.type().ociName(), unsigned(limit.soft()), unsigned(limit.hard()));
    }

    private static Spec.Seccomp seccomp(SeccompProfile profile) {
        List<Spec.SeccompRule> rules = profile.syscalls().stream()
                .map(rule -> new Spec.SeccompRule(rule.names(), rule.action().ociName(),
                        rule.errnoRet().isPresent() ? rule.errnoRet().getAsInt() : null,
                        rule.args().stream().map(ExecConfig::condition).toList()))
                .toList();
        return new Spec.Seccomp(profile.defaultAction().ociName(),
                profile.defaultErrnoRet().isPresent() ? profile.defaultErrnoRet().getAsInt() : null,
                profile.architectures(), profile.flags(), null, null, rules);
    }

    private static Spec.SeccompArg condition(SeccompProfile.Condition condition) {
        return new Spec.SeccompArg(condition.index(), unsigned(condition.value()), unsigned(condition.valueTwo()),
                condition.op().ociName());
    }

    /** The model's longs are the kernel's unsigned 64 bits (-1 is 2^64-1), as the OCI spec writes them. */
    private static BigInteger unsigned(long bits) {
        return new BigInteger(Long.toUnsignedString(bits));
    }
}
