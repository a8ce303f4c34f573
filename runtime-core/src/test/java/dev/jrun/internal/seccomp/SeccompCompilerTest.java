package dev.jrun.internal.seccomp;

import dev.jrun.DockerDefaultProfile;
import dev.jrun.bindings.Libc;
import dev.jrun.bindings.sock_filter;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.SeccompProfile.Action;
import dev.jrun.model.SeccompProfile.Condition;
import dev.jrun.model.SeccompProfile.Operator;
import dev.jrun.model.SeccompProfile.Rule;
import dev.jrun.model.SeccompProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seccomp compiler's programs, run by the Java interpreter of the same instructions the kernel gets. */
class SeccompCompilerTest {

    private static final SeccompFilter DOCKER_DEFAULT = SeccompCompiler.compile(DockerDefaultProfile.of(Capabilities.dockerDefault()));

    @Test
    void defaultProfileDeniesTheCallsThatReachOutsideTheContainerWithEperm() {
        for (String call : List.of("keyctl", "add_key", "request_key", "kexec_load", "open_by_handle_at", "bpf",
                "mount", "unshare", "setns", "init_module", "reboot", "settimeofday", "io_uring_setup")) {
            assertThat(verdict(DOCKER_DEFAULT, call)).as(call).isEqualTo("ERRNO(EPERM)");
        }
    }

    @Test
    void defaultProfileAllowsOrdinaryCallsAndWhatJrunCallsAfterLoadingIt() {
        for (String call : List.of("read", "write", "openat", "execve", "exit_group", "getpid", "futex", "prctl",
                "capset", "setresuid", "setresgid", "setgroups", "wait4", "sethostname", "ptrace")) {
            assertThat(verdict(DOCKER_DEFAULT, call)).as(call).isEqualTo("ALLOW");
        }
    }

    @Test
    void defaultProfileAnswersCallsNewerThanTheBindingsWithEnosys() {
        int unassigned = SyscallTable.nativeTable().all().values().stream().max(Integer::compare).orElseThrow() + 1;
        assertThat(SeccompFilter.describe(DOCKER_DEFAULT.nativeVerdict(unassigned))).isEqualTo("ERRNO(ENOSYS)");
        assertThat(verdict(DOCKER_DEFAULT, "clone3")).isEqualTo("ERRNO(ENOSYS)");
    }

    @Test
    void defaultProfileLetsCloneMakeThreadsAndProcessesButNotNamespaces() {
        int clone = Libc.SYS_clone();
        assertThat(DOCKER_DEFAULT.allows(clone, Libc.SIGCHLD())).isTrue();
        assertThat(SeccompFilter.describe(DOCKER_DEFAULT.nativeVerdict(clone, Libc.CLONE_NEWUSER() | Libc.SIGCHLD())))
                .isEqualTo("ERRNO(EPERM)");
    }

    @Test
    void aCapabilityAllowsItsGroupAgain() {
        SeccompFilter admin = SeccompCompiler.compile(
                DockerDefaultProfile.of(Capabilities.dockerDefault().adding(Capability.SYS_ADMIN)));
        assertThat(verdict(admin, "mount")).isEqualTo("ALLOW");
        assertThat(admin.allows(Libc.SYS_clone(), Libc.CLONE_NEWNS())).isTrue();
        assertThat(verdict(admin, "keyctl")).isEqualTo("ERRNO(EPERM)");
    }

    @Test
    void callsThroughAnotherArchitectureOrTheX32AbiAreKilled() {
        assertThat(SeccompFilter.describe(DOCKER_DEFAULT.verdict(Libc.AUDIT_ARCH_I386(), Libc.SYS_getpid())))
                .isEqualTo("KILL_PROCESS");
        assertThat(SeccompFilter.describe(DOCKER_DEFAULT.nativeVerdict(Libc.__X32_SYSCALL_BIT() | Libc.SYS_getpid())))
                .isEqualTo("KILL_PROCESS");
    }

    @ParameterizedTest(name = "{1} {0}: {2}")
    @CsvSource({
            // op, value, argument, does the condition hold
            "SCMP_CMP_EQ, 5, 5, true", "SCMP_CMP_EQ, 5, 4, false", "SCMP_CMP_EQ, 5, 4294967301, false",
            "SCMP_CMP_NE, 5, 5, false", "SCMP_CMP_NE, 5, 6, true", "SCMP_CMP_NE, 5, 4294967301, true",
            "SCMP_CMP_LT, 5, 4, true", "SCMP_CMP_LT, 5, 5, false", "SCMP_CMP_LT, 4294967296, 4294967295, true",
            "SCMP_CMP_LE, 5, 5, true", "SCMP_CMP_LE, 5, 6, false", "SCMP_CMP_LE, 4294967296, 8589934592, false",
            "SCMP_CMP_GT, 5, 6, true", "SCMP_CMP_GT, 5, 5, false", "SCMP_CMP_GT, 4294967295, 4294967296, true",
            "SCMP_CMP_GE, 5, 5, true", "SCMP_CMP_GE, 5, 4, false", "SCMP_CMP_GE, 8589934592, 4294967297, false",
            "SCMP_CMP_GT, 5, -1, true", "SCMP_CMP_LT, 5, -1, false"})
    void argumentsCompareAsUnsigned64BitNumbers(String op, long value, long argument, boolean holds) {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withRule(Rule.of(Action.ERRNO, "getpid").withArgs(Condition.of(1, Operator.parse(op), value))));
        assertThat(filter.allows(Libc.SYS_getpid(), 0, argument)).isEqualTo(!holds);
    }

    @Test
    void maskedEqualComparesTheMaskedArgument() {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withRule(Rule.of(Action.KILL_PROCESS, "personality").withArgs(Condition.masked(0, 0xFF_0000_00FFL, 0x12_0000_0000L))));
        assertThat(filter.allows(Libc.SYS_personality(), 0x12_0000_AB00L)).isFalse();
        assertThat(filter.allows(Libc.SYS_personality(), 0x12_0000_0001L)).isTrue();
        assertThat(filter.allows(Libc.SYS_personality(), 0x13_0000_0000L)).isTrue();
    }

    @Test
    void theFirstRuleWhoseConditionsAllHoldDecides() {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.KILL_PROCESS)
                .withRule(Rule.of(Action.ERRNO, "kill").withErrnoRet(Libc.ESRCH())
                        .withArgs(Condition.of(0, Operator.EQUAL, 1), Condition.of(1, Operator.EQUAL, 9)))
                .withRule(Rule.of(Action.ALLOW, "kill").withArgs(Condition.of(1, Operator.EQUAL, 9)))
                .withRule(Rule.of(Action.TRAP, "kill")));
        assertThat(SeccompFilter.describe(filter.nativeVerdict(Libc.SYS_kill(), 1, 9))).isEqualTo("ERRNO(ESRCH)");
        assertThat(SeccompFilter.describe(filter.nativeVerdict(Libc.SYS_kill(), 2, 9))).isEqualTo("ALLOW");
        assertThat(SeccompFilter.describe(filter.nativeVerdict(Libc.SYS_kill(), 2, 15))).isEqualTo("TRAP");
        assertThat(SeccompFilter.describe(filter.nativeVerdict(Libc.SYS_getpid()))).isEqualTo("KILL_PROCESS");
    }

    @Test
    void everyActionOfTheSpecCompiles() {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.LOG)
                .withRule(Rule.of(Action.KILL_PROCESS, "getpid"))
                .withRule(Rule.of(Action.KILL_THREAD, "getppid"))
                .withRule(Rule.of(Action.TRAP, "getuid"))
                .withRule(Rule.of(Action.ERRNO, "getgid").withErrnoRet(Libc.EACCES()))
                .withRule(Rule.of(Action.TRACE, "geteuid").withErrnoRet(7))
                .withRule(Rule.of(Action.ALLOW, "getegid")));
        assertThat(List.of("getpid", "getppid", "getuid", "getgid", "geteuid", "getegid", "gettid"))
                .map(call -> verdict(filter, call))
                .containsExactly("KILL_PROCESS", "KILL_THREAD", "TRAP", "ERRNO(EACCES)", "TRACE(7)", "ALLOW", "LOG");
    }

    @Test
    void manyRulesForOneCallNeedLongJumpsAndStillWork() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rules.add(Rule.of(Action.ERRNO, "read").withErrnoRet(i + 1).withArgs(
                    Condition.of(0, Operator.EQUAL, i), Condition.of(1, Operator.GREATER_THAN, i),
                    Condition.of(2, Operator.LESS_THAN, 1000), Condition.of(3, Operator.NOT_EQUAL, 7)));
        }
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW).withRules(rules)
                .withRule(Rule.of(Action.ERRNO, "write")));
        assertThat(filter.program()).hasSizeGreaterThan(255);
        assertThat(filter.nativeVerdict(Libc.SYS_read(), 19, 20, 0, 0) & Libc.SECCOMP_RET_DATA()).isEqualTo(20);
        assertThat(filter.allows(Libc.SYS_read(), 19, 19)).isTrue();
        assertThat(verdict(filter, "write")).isEqualTo("ERRNO(EPERM)");
    }

    @Test
    void anUnknownNameWhoseRuleWouldStopACallTheDefaultLetsThroughIsRefused() {
        assertThatThrownBy(() -> SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withRule(Rule.of(Action.ERRNO, "getpid", "getpidd"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seccomp profile rule 1 (SCMP_ACT_ERRNO) names unknown system call \"getpidd\": no ABI of"
                        + " this machine (SCMP_ARCH_X86_64, SCMP_ARCH_X32, SCMP_ARCH_X86) has such a call, and without"
                        + " the rule the call would get the default action, SCMP_ACT_ALLOW");
    }

    @Test
    void anUnknownNameIsSkippedWhereTheCallWouldBeStoppedAnyway() {
        // Another architecture's call (Docker's profiles allow send and recv), or one newer than the bindings.
        SeccompFilter allowList = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ERRNO)
                .withRule(Rule.of(Action.ALLOW, "getpid", "send", "cacheflush")));
        assertThat(verdict(allowList, "getpid")).isEqualTo("ALLOW");
        assertThat(verdict(allowList, "read")).isEqualTo("ERRNO(EPERM)");
        SeccompFilter killByDefault = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.KILL_PROCESS)
                .withRule(Rule.of(Action.ALLOW, "exit_group"))
                .withRule(Rule.of(Action.ERRNO, "getpidd")));
        assertThat(verdict(killByDefault, "exit_group")).isEqualTo("ALLOW");
    }

    @Test
    void aCallThisArchitectureLacksIsSkippedWhateverItsRuleDoes() {
        // runc's "redundant seccomp rules": bdflush is an i386 call only.
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withRule(Rule.of(Action.ALLOW, "bdflush"))
                .withRule(Rule.of(Action.ERRNO, "mkdir", "umount", "socketcall")));
        assertThat(verdict(filter, "mkdir")).isEqualTo("ERRNO(EPERM)");
        assertThat(filter.program()).isEqualTo(SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withRule(Rule.of(Action.ERRNO, "mkdir"))).program());
    }

    @Test
    void callsAboveTheHighestTheProfileNamesFailWithEnosysWhenTheDefaultStopsCalls() {
        SeccompProfile allowList = SeccompProfile.defaultAction(Action.ERRNO)
                .withRule(Rule.of(Action.ALLOW, "read", "exit_group"));
        SeccompFilter filter = SeccompCompiler.compile(allowList);
        assertThat(verdict(filter, "read")).isEqualTo("ALLOW");
        assertThat(verdict(filter, "getpid")).as("below exit_group: the default").isEqualTo("ERRNO(EPERM)");
        assertThat(SeccompFilter.describe(filter.nativeVerdict(Libc.SYS_exit_group() + 1))).isEqualTo("ERRNO(ENOSYS)");
        assertThat(SeccompFilter.describe(filter.nativeVerdict(1000, 0xDEADBEEFL))).isEqualTo("ERRNO(ENOSYS)");
        assertThat(verdict(SeccompCompiler.compile(allowList.withDefaultErrnoRet(Libc.ENXIO())), "openat"))
                .isEqualTo("ERRNO(ENOSYS)");
        SeccompFilter kill = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.KILL_PROCESS)
                .withRule(Rule.of(Action.ALLOW, "read", "exit_group")));
        assertThat(verdict(kill, "getpid")).isEqualTo("KILL_PROCESS");
        assertThat(SeccompFilter.describe(kill.nativeVerdict(1000))).isEqualTo("ERRNO(ENOSYS)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SCMP_ACT_ALLOW, ALLOW", "SCMP_ACT_LOG, LOG", "SCMP_ACT_TRACE, TRACE(1)"})
    void aDefaultThatMayLetCallsThroughKeepsCallsAboveTheProfile(String action, String expected) {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.parse(action))
                .withRule(Rule.of(Action.ERRNO, "mkdir")));
        assertThat(SeccompFilter.describe(filter.nativeVerdict(1000))).isEqualTo(expected);
        assertThat(verdict(filter, "mkdir")).isEqualTo("ERRNO(EPERM)");
    }

    @Test
    void conditionsOnOneArgumentGivenTwiceAreAlternatives() {
        // runc's seccomp_syscall_test1.json: process_vm_readv is allowed for pid 100 or 9001.
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ERRNO)
                .withRule(Rule.of(Action.ALLOW, "process_vm_readv").withArgs(
                        Condition.of(0, Operator.EQUAL, 100), Condition.of(0, Operator.EQUAL, 9001)))
                .withRule(Rule.of(Action.ERRNO, "process_vm_writev").withErrnoRet(Libc.ENOANO()).withArgs(
                        Condition.of(0, Operator.EQUAL, 1337), Condition.of(0, Operator.EQUAL, 2020)))
                .withRule(Rule.of(Action.ALLOW, "kcmp").withArgs(
                        Condition.of(0, Operator.EQUAL, 0), Condition.of(1, Operator.EQUAL, 1337))));
        int readv = Libc.SYS_process_vm_readv();
        int writev = Libc.SYS_process_vm_writev();
        assertThat(filter.allows(readv, 100)).isTrue();
        assertThat(filter.allows(readv, 9001)).isTrue();
        assertThat(SeccompFilter.describe(filter.nativeVerdict(readv, 0))).isEqualTo("ERRNO(EPERM)");
        assertThat(SeccompFilter.describe(filter.nativeVerdict(writev, 1337))).isEqualTo("ERRNO(ENOANO)");
        assertThat(SeccompFilter.describe(filter.nativeVerdict(writev, 2020))).isEqualTo("ERRNO(ENOANO)");
        assertThat(SeccompFilter.describe(filter.nativeVerdict(writev, 0))).isEqualTo("ERRNO(EPERM)");
        // Different arguments: all must hold.
        assertThat(filter.allows(Libc.SYS_kcmp(), 0, 1337)).isTrue();
        assertThat(filter.allows(Libc.SYS_kcmp(), 0, 0)).isFalse();
        assertThat(filter.allows(Libc.SYS_kcmp(), 500, 1337)).isFalse();
    }

    @Test
    void aProfileForSeveralArchitecturesMayNameCallsOfTheOthers() {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ERRNO)
                .withArchitectures(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"))
                .withRule(Rule.of(Action.ALLOW, "getpid", "_llseek", "chown32")));
        assertThat(verdict(filter, "getpid")).isEqualTo("ALLOW");
    }

    @Test
    void whatJrunCannotCompileIsRefusedWithAReason() {
        assertThatThrownBy(() -> SeccompCompiler.compile(SeccompProfile.defaultAction(Action.NOTIFY)))
                .hasMessageContaining("SCMP_ACT_NOTIFY cannot be the default action");
        assertThatThrownBy(() -> SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withRule(Rule.of(Action.NOTIFY, "mkdir", "write"))))
                .hasMessage("seccomp profile rule 1: SCMP_ACT_NOTIFY cannot be used for the write syscall, which hands"
                        + " the listener to the seccomp agent");
        assertThatThrownBy(() -> SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withArchitectures(List.of("SCMP_ARCH_VAX"))))
                .hasMessage("unknown seccomp architecture \"SCMP_ARCH_VAX\"");
        assertThatThrownBy(() -> SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withFlags(List.of("SECCOMP_FILTER_FLAG_FAST"))))
                .hasMessage("unknown seccomp flag \"SECCOMP_FILTER_FLAG_FAST\"");
        assertThatThrownBy(() -> Action.parse("SCMP_ACT_MAYBE")).hasMessageStartingWith("unknown seccomp action \"SCMP_ACT_MAYBE\"");
    }

    @Test
    void flagsComeFromTheBindings() {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withFlags(List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW")));
        assertThat(filter.flags()).isEqualTo(Libc.SECCOMP_FILTER_FLAG_LOG() | Libc.SECCOMP_FILTER_FLAG_SPEC_ALLOW());
    }

    @Test
    void theListingReadsLikePseudoCode() {
        String listing = DOCKER_DEFAULT.listing();
        assertThat(listing).contains(" 0000  A = arch", "if (A == AUDIT_ARCH_X86_64) goto 0003", "return KILL_PROCESS",
                "A = sys_number", "A = args[0]", "return ERRNO(EPERM)", "return ALLOW");
        assertThat(listing.lines().filter(line -> line.contains(" > ")).findFirst().orElseThrow()).doesNotContain("0x");
        assertThat(listing.lines()).hasSize(DOCKER_DEFAULT.program().size());
    }

    @Test
    void theProgramIsLaidOutAsTheKernelReadsIt() {
        byte[] bytes = DOCKER_DEFAULT.bytes();
        assertThat(bytes).hasSize(DOCKER_DEFAULT.program().size() * (int) sock_filter.sizeof());
        BpfInstruction first = DOCKER_DEFAULT.program().getFirst();
        assertThat(bytes[0] & 0xFF).isEqualTo(first.code());
    }

    private static String verdict(SeccompFilter filter, String call) {
        return SeccompFilter.describe(filter.nativeVerdict(SyscallTable.nativeTable().number(call).orElseThrow()));
    }

    @Test
    void aNotifiedCallAsksTheAgentThroughTheListenerTheFilterIsLoadedWith() {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withRule(Rule.of(Action.NOTIFY, "mkdir", "mkdirat")));

        assertThat(filter.hasListener()).isTrue();
        assertThat(filter.flagNames()).containsExactly("SECCOMP_FILTER_FLAG_NEW_LISTENER");
        assertThat(filter.flags()).isEqualTo(Libc.SECCOMP_FILTER_FLAG_NEW_LISTENER());
        int verdict = filter.nativeVerdict((int) Libc.SYS_mkdir());
        assertThat(SeccompFilter.asksAgent(verdict)).isTrue();
        assertThat(SeccompFilter.describe(verdict)).isEqualTo("NOTIFY");
        assertThat(SeccompFilter.asksAgent(filter.nativeVerdict((int) Libc.SYS_write()))).isFalse();
        assertThat(SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withRule(Rule.of(Action.ERRNO, "mkdir"))).hasListener()).isFalse();
    }
}
