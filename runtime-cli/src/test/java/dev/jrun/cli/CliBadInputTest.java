package dev.jrun.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A mistake on the command line is one line on stderr, a non-zero exit, and no trace on the host. */
class CliBadInputTest {

    private final JrunCli jrun = JrunCli.asThisUser();

    @BeforeAll
    static void needsRoot() {
        HostSystem.assumeRoot("the mistakes are made by jrun run, which would start a real container");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                arguments(List.of("run", "--rootfs", "/nonexistent", "--", "true"), "/nonexistent"),
                arguments(List.of("run"), "COMMAND"),
                arguments(List.of("run", "-v", "relative/path:/x", "--", "true"), "absolute"),
                arguments(List.of("run", "-v", "/nonexistent:/x", "--", "true"), "does not exist"),
                arguments(List.of("run", "-v", "nocolon", "--", "true"), "SRC:DST"),
                arguments(List.of("run", "--hostname", "bad name", "--", "true"), "invalid hostname"),
                arguments(List.of("run", "-w", "/nope", "--", "true"), "change to working directory /nope"),
                arguments(List.of("run", "-d", "--", "true"), "-d/--detach applies to a bundle or an image only"),
                arguments(List.of("run", "--name", "x", "--", "true"), "--name applies to a bundle or an image only"),
                arguments(List.of("run", "--keep", "--", "true"), "--keep applies to a bundle or an image only"),
                arguments(List.of("run", "--storage-driver", "vfs", "--", "true"),
                        "--storage-driver applies to an image only"),
                arguments(List.of("run", "--storage-driver", "zfs", "--", "true"), "'zfs' is no storage driver"),
                arguments(List.of("run", "--pidfd-socket", "/tmp/pidfd.sock", "--", "true"), "--pidfd-socket"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeIsOneLineOnStderr(List<String> args, String message) {
        List<String> mountsBefore = HostSystem.mountPoints();

        JrunCli.Result result = jrun.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderrLines()).singleElement().asString().startsWith("jrun: ").contains(message);
        assertThat(result.stdout()).isEmpty();
        assertThat(HostSystem.mountPoints()).isEqualTo(mountsBefore);
    }
}
