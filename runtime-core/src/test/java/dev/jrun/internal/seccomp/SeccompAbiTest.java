package dev.jrun.internal.seccomp;

import dev.jrun.bindings.I386Syscalls;
import dev.jrun.bindings.Libc;
import dev.jrun.bindings.X32Syscalls;
import dev.jrun.model.SeccompProfile;
import dev.jrun.model.SeccompProfile.Action;
import dev.jrun.model.SeccompProfile.Condition;
import dev.jrun.model.SeccompProfile.Operator;
import dev.jrun.model.SeccompProfile.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ABIs a filter covers: x86-64 always, i386 and x32 when the profile lists them, each with its own
 * numbers; run by the Java interpreter of the program the kernel gets.
 */
class SeccompAbiTest {

    private static final int I386 = Libc.AUDIT_ARCH_I386();
    private static final int X86_64 = Libc.AUDIT_ARCH_X86_64();
    private static final SeccompProfile NO_MKDIR = SeccompProfile.defaultAction(Action.ALLOW)
            .withRule(Rule.of(Action.ERRNO, "mkdir").withErrnoRet(Libc.ENOANO()));

    @Test
    void theNativeArchitectureIsFilteredWhenTheProfileListsOnlyOthers() {
        // runc's seccomp.bats: "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"].
        for (List<String> architectures : List.of(List.of("SCMP_ARCH_X86", "SCMP_ARCH_X32"), List.of("SCMP_ARCH_AARCH64"))) {
            SeccompFilter filter = SeccompCompiler.compile(NO_MKDIR.withArchitectures(architectures));
            assertThat(describe(filter.nativeVerdict(Libc.SYS_mkdir()))).as("%s", architectures).isEqualTo("ERRNO(ENOANO)");
            assertThat(describe(filter.nativeVerdict(Libc.SYS_getpid()))).isEqualTo("ALLOW");
        }
    }

    @Test
    void i386CallsAreFilteredWithI386NumbersWhenTheProfileListsX86() {
        SeccompFilter filter = SeccompCompiler.compile(NO_MKDIR.withArchitectures(List.of("SCMP_ARCH_X86")));
        assertThat(describe(filter.verdict(I386, I386Syscalls.__NR_mkdir()))).isEqualTo("ERRNO(ENOANO)");
        // x86-64's mkdir number is another call on i386 (symlink), which the profile allows.
        assertThat(Libc.SYS_mkdir()).isNotEqualTo(I386Syscalls.__NR_mkdir());
        assertThat(describe(filter.verdict(I386, Libc.SYS_mkdir()))).isEqualTo("ALLOW");
        assertThat(describe(filter.nativeVerdict(Libc.SYS_mkdir()))).isEqualTo("ERRNO(ENOANO)");
    }

    @Test
    void x32CallsAreFilteredWithX32NumbersWhenTheProfileListsX32() {
        SeccompFilter filter = SeccompCompiler.compile(NO_MKDIR.withArchitectures(List.of("SCMP_ARCH_X32")));
        assertThat(X32Syscalls.__NR_mkdir() & Libc.__X32_SYSCALL_BIT()).isNotZero();
        assertThat(describe(filter.verdict(X86_64, X32Syscalls.__NR_mkdir()))).isEqualTo("ERRNO(ENOANO)");
        assertThat(describe(filter.verdict(X86_64, X32Syscalls.__NR_getpid()))).isEqualTo("ALLOW");
        assertThat(describe(filter.nativeVerdict(Libc.SYS_mkdir()))).isEqualTo("ERRNO(ENOANO)");
        assertThat(describe(filter.verdict(I386, I386Syscalls.__NR_getpid()))).as("i386 is not listed").isEqualTo("KILL_PROCESS");
    }

    @Test
    void anAbiTheProfileDoesNotListIsKilled() {
        SeccompFilter filter = SeccompCompiler.compile(NO_MKDIR);
        assertThat(describe(filter.verdict(I386, I386Syscalls.__NR_getpid()))).isEqualTo("KILL_PROCESS");
        assertThat(describe(filter.verdict(X86_64, X32Syscalls.__NR_getpid()))).isEqualTo("KILL_PROCESS");
        assertThat(describe(filter.verdict(Libc.AUDIT_ARCH_AARCH64(), Libc.SYS_getpid()))).isEqualTo("KILL_PROCESS");
    }

    @Test
    void aCallOnlyOneAbiHasIsFilteredThereAndSkippedElsewhere() {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withArchitectures(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"))
                .withRule(Rule.of(Action.ERRNO, "bdflush", "arch_prctl")));
        assertThat(describe(filter.verdict(I386, I386Syscalls.__NR_bdflush()))).isEqualTo("ERRNO(EPERM)");
        assertThat(describe(filter.nativeVerdict(Libc.SYS_arch_prctl()))).isEqualTo("ERRNO(EPERM)");
        assertThat(describe(filter.nativeVerdict(I386Syscalls.__NR_bdflush()))).isEqualTo("ALLOW");
        assertThat(describe(filter.verdict(I386, Libc.SYS_arch_prctl()))).isEqualTo("ALLOW");
    }

    @Test
    void eachAbiAnswersCallsAboveItsOwnHighestNamedWithEnosys() {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ERRNO)
                .withArchitectures(List.of("SCMP_ARCH_X86", "SCMP_ARCH_X32"))
                .withRule(Rule.of(Action.ALLOW, "read", "waitpid")));
        assertThat(describe(filter.verdict(I386, I386Syscalls.__NR_read()))).isEqualTo("ALLOW");
        assertThat(describe(filter.verdict(I386, I386Syscalls.__NR_waitpid()))).isEqualTo("ALLOW");
        assertThat(describe(filter.verdict(I386, I386Syscalls.__NR_waitpid() - 1))).isEqualTo("ERRNO(EPERM)");
        assertThat(describe(filter.verdict(I386, I386Syscalls.__NR_waitpid() + 1))).isEqualTo("ERRNO(ENOSYS)");
        // waitpid is i386's only: on x86-64 and x32 read is the highest named.
        assertThat(describe(filter.nativeVerdict(Libc.SYS_read() + 1))).isEqualTo("ERRNO(ENOSYS)");
        assertThat(describe(filter.verdict(X86_64, X32Syscalls.__NR_read()))).isEqualTo("ALLOW");
        assertThat(describe(filter.verdict(X86_64, X32Syscalls.__NR_read() + 1))).isEqualTo("ERRNO(ENOSYS)");
    }

    @ParameterizedTest(name = "{0} {1} on i386, argument {2}: holds {3}")
    @CsvSource({
            // op, value, argument as the registers hold it (its high half is not what the call sees), holds
            "SCMP_CMP_EQ, 5, 5, true", "SCMP_CMP_EQ, 5, 0xdead00000005, true", "SCMP_CMP_EQ, 0x100000005, 5, false",
            "SCMP_CMP_NE, 5, 0xdead00000005, false", "SCMP_CMP_NE, 0x100000005, 5, true",
            "SCMP_CMP_GT, 5, 0x100000000, false", "SCMP_CMP_GT, 0xffffffff, 0xffffffff, false",
            "SCMP_CMP_GE, 0x100000000, 0xffffffff, false", "SCMP_CMP_GE, 5, 5, true",
            "SCMP_CMP_LT, 0x100000000, 0xffffffff, true", "SCMP_CMP_LT, 5, 0x100000004, true",
            "SCMP_CMP_LE, 0xffffffff, 0xffffffff, true", "SCMP_CMP_LE, 4, 5, false"})
    void anI386ArgumentIsComparedAsTheCallSeesIt(String op, String value, String argument, boolean holds) {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withArchitectures(List.of("SCMP_ARCH_X86"))
                .withRule(Rule.of(Action.ERRNO, "personality").withArgs(Condition.of(0, Operator.parse(op), Long.decode(value)))));
        assertThat(SeccompFilter.letsThrough(filter.verdict(I386, I386Syscalls.__NR_personality(), Long.decode(argument))))
                .isEqualTo(!holds);
    }

    @Test
    void aMaskedI386ArgumentIgnoresTheHighHalfAndNeverEqualsAValueAboveIt() {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withArchitectures(List.of("SCMP_ARCH_X86"))
                .withRule(Rule.of(Action.ERRNO, "personality").withArgs(Condition.masked(0, 0xFF00_0000_00FFL, 0x12)))
                .withRule(Rule.of(Action.ERRNO, "getpid").withArgs(Condition.masked(0, -1L, 0x1_0000_0000L))));
        int personality = I386Syscalls.__NR_personality();
        assertThat(describe(filter.verdict(I386, personality, 0xAB00_0000_3412L))).isEqualTo("ERRNO(EPERM)");
        assertThat(describe(filter.verdict(I386, personality, 0x13L))).isEqualTo("ALLOW");
        assertThat(describe(filter.verdict(I386, I386Syscalls.__NR_getpid(), 0x1_0000_0000L))).isEqualTo("ALLOW");
        assertThat(describe(filter.nativeVerdict(Libc.SYS_getpid(), 0x1_0000_0000L))).isEqualTo("ERRNO(EPERM)");
    }

    @Test
    void theOtherAbisAreReachedPastANativePartLongerThanAJump() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rules.add(Rule.of(Action.ERRNO, "read").withErrnoRet(i + 1).withArgs(Condition.of(0, Operator.EQUAL, i)));
        }
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW).withRules(rules)
                .withArchitectures(List.of("SCMP_ARCH_X86", "SCMP_ARCH_X32"))
                .withRule(Rule.of(Action.ERRNO, "mkdir").withErrnoRet(Libc.ENOANO())));
        assertThat(filter.sections().lastKey()).isGreaterThan(BpfInstruction.MAX_JUMP);
        assertThat(filter.verdict(I386, I386Syscalls.__NR_read(), 59)).isEqualTo(Libc.SECCOMP_RET_ERRNO() | 60);
        assertThat(describe(filter.verdict(I386, I386Syscalls.__NR_mkdir()))).isEqualTo("ERRNO(ENOANO)");
        assertThat(describe(filter.verdict(X86_64, X32Syscalls.__NR_mkdir()))).isEqualTo("ERRNO(ENOANO)");
        assertThat(describe(filter.nativeVerdict(Libc.SYS_mkdir()))).isEqualTo("ERRNO(ENOANO)");
    }

    @Test
    void theListingNamesEachAbisCallsFromItsOwnTable() {
        SeccompFilter filter = SeccompCompiler.compile(SeccompProfile.defaultAction(Action.ALLOW)
                .withArchitectures(List.of("SCMP_ARCH_X86", "SCMP_ARCH_X32"))
                .withRule(Rule.of(Action.ERRNO, "bdflush", "mkdir")));
        String listing = filter.listing();
        assertThat(listing.lines()).hasSize(filter.program().size());
        assertThat(listing).contains("if (A != AUDIT_ARCH_I386)", "// SCMP_ARCH_X32", "// SCMP_ARCH_X86");
        String i386 = listing.substring(listing.indexOf("// SCMP_ARCH_X86\n"));
        assertThat(i386).contains("bdflush", "mkdir");
        String x32 = listing.substring(listing.indexOf("// SCMP_ARCH_X32"), listing.indexOf("// SCMP_ARCH_X86\n"));
        assertThat(x32).contains("mkdir").doesNotContain("0x4");
    }

    private static String describe(int verdict) {
        return SeccompFilter.describe(verdict);
    }
}
