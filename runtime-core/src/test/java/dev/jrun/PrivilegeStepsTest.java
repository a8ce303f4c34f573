package dev.jrun;

import dev.jrun.internal.plan.HostFacts;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Step;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.IdMapping;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Rlimit;
import dev.jrun.model.User;
import dev.jrun.testing.FakeHosts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static dev.jrun.testing.PlanSteps.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The privilege steps of launch plans, in the order the kernel needs them; nothing is started. Plans
 * that map ids other than the launcher's own are compiled for jrun running as root, which may map any.
 */
@Tag("plan")
class PrivilegeStepsTest {

    /** A user with a supplementary group, a umask, an rlimit and an ambient capability. */
    private static Container.Builder asUser() {
        return Container.builder().command("/bin/true")
                .user(User.of(1000, 1000).withAdditionalGids(List.of(27L)).withUmask(027))
                .capabilities(Capabilities.of(List.of(Capability.NET_BIND_SERVICE))
                        .withInheritable(List.of(Capability.NET_BIND_SERVICE)).withAmbient(List.of(Capability.NET_BIND_SERVICE)))
                .rlimit(new Rlimit(Rlimit.Type.NOFILE, 1024, 4096));
    }

    /** As runc: a rootless container's namespace, mapped without newgidmap, denies setgroups to what joins it (exec). */
    @Test
    void joiningAUserNamespaceClearsTheGroupsWhereItMayAndGoesOnWhereItDenies() {
        LaunchPlan joining = Plans.of(Container.builder().command("true").inheritHostname()
                .filesystem(FilesystemSetup.unchanged())
                .namespaces(NamespaceSet.of().joining(Namespace.MOUNT, Path.of("/proc/9/ns/mnt"))
                        .joining(Namespace.USER, Path.of("/proc/9/ns/user"))), FakeHosts.unprivileged());

        assertThat(lines(joining)).contains("setgroups(0, NULL) (tolerates EPERM) # clear the"
                + " supplementary groups, unless the joined user namespace denies setgroups");
        assertThat(lines(Plans.asRoot(Container.builder().command("true"))))
                .contains("setgroups(0, NULL) # clear the supplementary groups");
    }

    @Test
    void groupsAndBoundingSetChangeBeforeTheUidAndCapabilitiesAfterIt() {
        LaunchPlan plan = Plans.asRoot(asUser());
        int setgroups = first(plan, call("setgroups"));
        int setresgid = first(plan, described("switch to gid 1000"));
        int setresuid = first(plan, described("switch to uid 1000"));
        int keepOn = first(plan, described("keep the permitted capabilities across the uid switch"));
        int keepOff = first(plan, described("stop keeping capabilities across uid switches"));
        int capset = first(plan, call("capset"));
        int ambient = first(plan, described("raise CAP_NET_BIND_SERVICE in the ambient set"));
        int lastDrop = last(plan, described("from the bounding set"));
        assertThat(List.of(lastDrop, keepOn, setgroups, setresgid, setresuid, keepOff, capset, ambient)).isSorted();
        assertThat(plan.step(setgroups).render()).isEqualTo("setgroups(1, [27])");
        assertThat(plan.step(last(plan, call("umask"))).render()).as("the user's, after the filesystem's own").isEqualTo("umask(0027)");
        assertThat(plan.step(first(plan, call("prlimit64"))).render())
                .isEqualTo("prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=4096}, NULL)");
        assertThat(first(plan, call("prlimit64"))).isLessThan(setresuid);
    }

    @Test
    void withoutNoNewPrivsTheFilterIsLoadedWhileCapabilitiesAreStillThere() {
        LaunchPlan plan = Plans.asRoot(asUser());
        assertThat(first(plan, call("seccomp"))).isLessThan(first(plan, described("from the bounding set")));
        assertThat(plan.steps()).noneMatch(described("set no_new_privs"));
    }

    @Test
    void withNoNewPrivsTheFilterIsTheLastStepBeforeExecve() {
        LaunchPlan plan = Plans.asRoot(asUser().noNewPrivileges(true));
        int nnp = first(plan, described("set no_new_privs"));
        int seccomp = first(plan, call("seccomp"));
        assertThat(plan.step(nnp).render()).isEqualTo("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)");
        assertThat(seccomp).isEqualTo(nnp + 1).isEqualTo(first(plan, call("execve")) - 1);
        assertThat(plan.toString()).contains("BPF program of step " + seccomp, "return ERRNO(EPERM)");
    }

    @ParameterizedTest
    @MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
    void theOomScoreIsSetRightAfterTheGateWhileTheHostsProcIsThere(HostFacts host) {
        LaunchPlan plan = Plans.of(Container.builder().command("/bin/true").oomScoreAdj(500), host);
        int open = first(plan, described("open /proc/self/oom_score_adj"));
        assertThat(open).isLessThan(first(plan, call("mount")));
        assertThat(plan.step(open + 1).render()).isEqualTo("write($" + open + ", \"500\", 3)");
    }

    @Test
    void aNewUserNamespaceIsCreatedWithTheOthersAndEnteredAsItsRoot() {
        LaunchPlan plan = Plans.asRoot(Container.builder().command("/bin/true").namespaces(NamespaceSet.isolated().with(Namespace.USER))
                .uidMappings(List.of(new IdMapping(0, 200_000, 65_536)))
                .gidMappings(List.of(new IdMapping(0, 200_000, 65_536))));
        assertThat(plan.step(first(plan, call("clone"))).render()).contains("CLONE_NEWUSER");
        int becomeRoot = first(plan, described("become uid 0 of the user namespace"));
        assertThat(becomeRoot).isLessThan(first(plan, call("sethostname")));
    }

    @ParameterizedTest
    @MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
    void unconfinedAndInheritedCapabilitiesAddNoSteps(HostFacts host) {
        LaunchPlan plan = Plans.of(Container.builder().command("/bin/true").seccompUnconfined().inheritCapabilities(), host);
        assertThat(plan.steps()).noneMatch(call("seccomp")).noneMatch(call("capset")).noneMatch(described("bounding set"));
    }

    @Test
    void anUnmappedUserIsRefusedWithTheMappings() {
        assertThatThrownBy(() -> Container.builder().command("/bin/true").namespaces(NamespaceSet.isolated().with(Namespace.USER))
                .uidMappings(List.of(new IdMapping(0, 200_000, 65_536)))
                .gidMappings(List.of(new IdMapping(0, 200_000, 65_536)))
                .user(User.of(70_000, 0)).build(FakeHosts.root()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uid 70000 is not mapped in the container's user namespace (uid mappings [0:200000:65536])");
        assertThatThrownBy(() -> Container.builder().command("/bin/true").namespaces(NamespaceSet.isolated().with(Namespace.USER))
                .uidMappings(List.of(new IdMapping(1, 200_000, 10)))
                .gidMappings(List.of(new IdMapping(0, 200_000, 10))).build(FakeHosts.root()))
                .hasMessage("uid mappings [1:200000:10] do not map the container's root (uid 0), which sets the container up");
        assertThatThrownBy(() -> Container.builder().command("/bin/true").namespaces(NamespaceSet.isolated().with(Namespace.USER))
                .uidMappings(List.of(new IdMapping(0, 200_000, 10), new IdMapping(5, 300_000, 10)))
                .gidMappings(List.of(new IdMapping(0, 200_000, 10))).build(FakeHosts.root()))
                .hasMessage("uid mappings 0:200000:10 and 5:300000:10 overlap");
    }

    @Test
    void badUsersAndLimitsAreRefusedByName() {
        assertThatThrownBy(() -> User.parse("alice")).hasMessageStartingWith("invalid user \"alice\": \"alice\" is not a number");
        assertThatThrownBy(() -> Rlimit.parse("nofile=4096:1024")).hasMessage("RLIMIT_NOFILE: soft limit 4096 is above the hard limit 1024");
        assertThatThrownBy(() -> Rlimit.parse("files=1")).hasMessageStartingWith("unknown rlimit \"files\"");
        assertThatThrownBy(() -> Container.builder().oomScoreAdj(1001)).hasMessage("oom_score_adj 1001 is not between -1000 and 1000");
        assertThat(Rlimit.parse("core=unlimited")).isEqualTo(new Rlimit(Rlimit.Type.CORE, Rlimit.UNLIMITED, Rlimit.UNLIMITED));
    }

    private static Predicate<Step> call(String name) {
        return step -> step.call().name().equals(name);
    }

    private static Predicate<Step> described(String text) {
        return step -> step.description().contains(text);
    }

    private static int first(LaunchPlan plan, Predicate<Step> which) {
        return IntStream.range(0, plan.steps().size()).filter(i -> which.test(plan.step(i))).findFirst().orElseThrow();
    }

    private static int last(LaunchPlan plan, Predicate<Step> which) {
        return IntStream.range(0, plan.steps().size()).filter(i -> which.test(plan.step(i))).max().orElseThrow();
    }
}
