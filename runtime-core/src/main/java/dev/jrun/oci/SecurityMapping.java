package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.internal.plan.SecurityModules;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.IdMapping;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Rlimit;
import dev.jrun.model.SecurityLabels;
import dev.jrun.model.User;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The sections of {@code config.json} that belong to the container's security
 * and resource limits, with the OCI spec's (and runc's) semantics: the
 * process's user and groups, capabilities, rlimits, {@code noNewPrivileges},
 * {@code oomScoreAdj}; {@code linux.resources} and {@code cgroupsPath} (see
 * {@link ResourcesMapping}), {@code seccomp} (see {@link SeccompMapping}), and
 * the user namespace's ID mappings.
 *
 * <p>Where the spec's defaults differ from the library's, the spec's win: a
 * configuration without {@code process.capabilities} gives the process no
 * capabilities, one without {@code linux.seccomp} no seccomp filter.
 */
final class SecurityMapping {

    private SecurityMapping() {
    }

    /** Maps the security sections of a container's configuration onto {@code builder}. */
    static void apply(Spec spec, NamespaceSet namespaces, SecurityModules modules, Container.Builder builder,
                      Problems problems) {
        if (spec.process() != null) {
            applyProcess(spec.process(), "process", modules, builder, problems);
        }
        Spec.Linux linux = spec.linux();
        problems.at("linux.resources", () -> builder.resources(ResourcesMapping.map(linux, problems)));
        if (linux == null) {
            builder.seccompUnconfined();
            return;
        }
        if (linux.cgroupsPath() != null && !linux.cgroupsPath().isEmpty()) {
            problems.at("linux.cgroupsPath", () -> builder.cgroupPath(linux.cgroupsPath()));
        }
        SeccompMapping.apply(linux.seccomp(), "linux.seccomp", builder, problems);
        userNamespace(linux, namespaces, spec.process() == null ? null : spec.process().user(), builder, problems);
    }

    /**
     * Maps the security settings of one process (the container's, or one {@code exec} runs) onto
     * {@code builder}.
     *
     * @param path    where the process is in its file: {@code process}, or empty for a process.json
     * @param modules the security modules the host has enabled: labels for the others are left out
     */
    static void applyProcess(Spec.Process process, String path, SecurityModules modules, Container.Builder builder,
                             Problems problems) {
        user(process.user(), join(path, "user"), builder, problems);
        Capabilities capabilities = capabilities(process.capabilities(), join(path, "capabilities"), problems);
        problems.at(join(path, "capabilities"), () -> builder.capabilities(capabilities));
        rlimits(process.rlimits(), join(path, "rlimits"), builder, problems);
        builder.noNewPrivileges(Boolean.TRUE.equals(process.noNewPrivileges()));
        if (process.oomScoreAdj() != null) {
            problems.at(join(path, "oomScoreAdj"), () -> builder.oomScoreAdj(process.oomScoreAdj()));
        }
        securityLabels(process, path, modules, builder, problems);
    }

    /**
     * The AppArmor profile and SELinux label, as runc takes them: applied where the host has the
     * module, left out (with a debug line) where it has not, so that an engine's configuration for
     * a host with AppArmor runs on one without.
     */
    private static void securityLabels(Spec.Process process, String path, SecurityModules modules,
                                       Container.Builder builder, Problems problems) {
        SecurityLabels labels = SecurityLabels.none();
        String profile = process.apparmorProfile();
        if (profile != null && !profile.isEmpty()) {
            if (modules.appArmor()) {
                labels = problems.at(join(path, "apparmorProfile"), () -> SecurityLabels.none()
                        .withAppArmorProfile(profile), labels);
            } else {
                problems.ignore(join(path, "apparmorProfile"), "AppArmor is not enabled on this host", false);
            }
        }
        String label = process.selinuxLabel();
        if (label != null && !label.isEmpty()) {
            if (modules.selinux()) {
                SecurityLabels current = labels;
                labels = problems.at(join(path, "selinuxLabel"), () -> current.withSelinuxLabel(label), current);
            } else {
                problems.ignore(join(path, "selinuxLabel"), "SELinux is not enabled on this host", false);
            }
        }
        builder.securityLabels(labels);
    }

    private static void user(Spec.User user, String path, Container.Builder builder, Problems problems) {
        if (user == null) {
            builder.user(User.root());
            return;
        }
        List<Long> additional = user.additionalGids() == null ? List.of() : user.additionalGids();
        OptionalInt umask = user.umask() == null ? OptionalInt.empty() : OptionalInt.of(user.umask());
        problems.at(path, () -> builder.user(new User(orZero(user.uid()), orZero(user.gid()), additional, umask)));
    }

    /**
     * {@return the five sets; a set left out is empty, and so is every set without {@code capabilities}}
     *
     * <p>The kernel raises an ambient capability only when it is permitted and inheritable too;
     * runc leaves out the others (its own {@code runc spec} lists ambient capabilities without an
     * inheritable set), and so does jrun, so that such bundles run the same.
     */
    private static Capabilities capabilities(Spec.Capabilities sets, String path, Problems problems) {
        if (sets == null) {
            return Capabilities.none();
        }
        Set<Capability> permitted = parse(sets.permitted(), path + ".permitted", problems);
        Set<Capability> inheritable = parse(sets.inheritable(), path + ".inheritable", problems);
        Set<Capability> ambient = parse(sets.ambient(), path + ".ambient", problems);
        ambient.retainAll(permitted);
        ambient.retainAll(inheritable);
        return Capabilities.none()
                .withBounding(parse(sets.bounding(), path + ".bounding", problems))
                .withEffective(parse(sets.effective(), path + ".effective", problems))
                .withPermitted(permitted)
                .withInheritable(inheritable)
                .withAmbient(ambient);
    }

    private static Set<Capability> parse(List<String> names, String path, Problems problems) {
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        List<String> entries = names == null ? List.of() : names;
        for (int i = 0; i < entries.size(); i++) {
            String name = entries.get(i);
            problems.at(path + "[" + i + "]", () -> set.add(Capability.parse(String.valueOf(name))));
        }
        return set;
    }

    private static void rlimits(List<Spec.Rlimit> rlimits, String path, Container.Builder builder, Problems problems) {
        List<Spec.Rlimit> entries = rlimits == null ? List.of() : rlimits;
        Set<Rlimit.Type> seen = EnumSet.noneOf(Rlimit.Type.class);
        for (int i = 0; i < entries.size(); i++) {
            Spec.Rlimit entry = entries.get(i);
            String at = path + "[" + i + "]";
            if (entry.type() == null || entry.soft() == null || entry.hard() == null) {
                problems.add(at, "needs a type, a soft and a hard limit");
                continue;
            }
            Rlimit.Type type = problems.at(at + ".type", () -> Rlimit.Type.parse(entry.type()), null);
            OptionalLong soft = Unsigned.bits(entry.soft(), at + ".soft", problems);
            OptionalLong hard = Unsigned.bits(entry.hard(), at + ".hard", problems);
            if (type != null && !seen.add(type)) {
                problems.add(at + ".type", type.ociName() + " is listed twice");
            } else if (type != null && soft.isPresent() && hard.isPresent()) {
                problems.at(at, () -> builder.rlimit(new Rlimit(type, soft.getAsLong(), hard.getAsLong())));
            }
        }
    }

    /**
     * The ID mappings of a new user namespace (a {@code user} entry without a path in
     * {@code linux.namespaces}), checked against each other and the process's user.
     */
    private static void userNamespace(Spec.Linux linux, NamespaceSet namespaces, Spec.User user,
                                      Container.Builder builder, Problems problems) {
        List<IdMapping> uids = mappings(linux.uidMappings(), "linux.uidMappings", problems);
        List<IdMapping> gids = mappings(linux.gidMappings(), "linux.gidMappings", problems);
        if (!namespaces.creates(Namespace.USER)) {
            if (!uids.isEmpty() || !gids.isEmpty()) {
                problems.add(uids.isEmpty() ? "linux.gidMappings" : "linux.uidMappings",
                        "needs a new user namespace (a \"user\" entry without a path in linux.namespaces)");
            }
            return;
        }
        if (uids.isEmpty() || gids.isEmpty()) {
            problems.add("linux.namespaces", "a new user namespace needs linux.uidMappings and linux.gidMappings");
            return;
        }
        builder.uidMappings(uids).gidMappings(gids);
        long uid = user == null ? 0 : orZero(user.uid());
        long gid = user == null ? 0 : orZero(user.gid());
        if (!IdMapping.anyMaps(uids, uid)) {
            problems.add("process.user.uid", uid + " is not mapped by linux.uidMappings");
        }
        if (!IdMapping.anyMaps(gids, gid)) {
            problems.add("process.user.gid", gid + " is not mapped by linux.gidMappings");
        }
    }

    private static List<IdMapping> mappings(List<Spec.IdMapping> entries, String path, Problems problems) {
        List<IdMapping> mappings = new ArrayList<>();
        List<Spec.IdMapping> list = entries == null ? List.of() : entries;
        for (int i = 0; i < list.size(); i++) {
            Spec.IdMapping entry = list.get(i);
            if (entry.containerID() == null || entry.hostID() == null || entry.size() == null) {
                problems.add(path + "[" + i + "]", "needs a containerID, a hostID and a size");
                continue;
            }
            problems.at(path + "[" + i + "]",
                    () -> mappings.add(new IdMapping(entry.containerID(), entry.hostID(), entry.size())));
        }
        return mappings;
    }

    private static long orZero(Long id) {
        return id == null ? 0 : id;
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
