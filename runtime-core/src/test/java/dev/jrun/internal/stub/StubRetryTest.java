package dev.jrun.internal.stub;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.protocol.LaunchProtocol;
import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Step;
import dev.jrun.launch.Syscall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A step marked {@link Step#againOnEagain()} is made again while it fails with EAGAIN, as the
 * stub does for openat2 when a mount or rename raced its walk. The stub runs here as a plain
 * process with a plan of its own: it reads its empty, non-blocking stdin, which fails with
 * EAGAIN until the test writes a byte, and then exits with a code of the plan's.
 */
class StubRetryTest {

    private static final int EXIT_CODE = 7;

    @TempDir
    Path directory;

    @Test
    void aStepMarkedAgainOnEagainIsMadeAgainUntilItSucceeds() throws Exception {
        Process stub = start(true);
        try {
            assertThat(stub.waitFor(300, TimeUnit.MILLISECONDS)).as("the stub ended before its stdin had a byte").isFalse();
            try (OutputStream stdin = stub.getOutputStream()) {
                stdin.write('x');
            }

            assertThat(stub.waitFor(60, TimeUnit.SECONDS)).as("the stub ended once it read the byte").isTrue();
            assertThat(stub.exitValue()).isEqualTo(EXIT_CODE);
        } finally {
            stub.destroyForcibly();
        }
    }

    @Test
    void withoutTheMarkEagainEndsTheLaunch() throws Exception {
        Process stub = start(false);
        try {
            assertThat(stub.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(stub.exitValue()).isEqualTo(LaunchProtocol.STEP_FAILED_EXIT);
        } finally {
            stub.destroyForcibly();
        }
    }

    private Process start(boolean againOnEagain) throws IOException {
        Arg stdin = new Arg.Value(0, "0");
        LaunchPlan plan = new LaunchPlan(List.of(
                step(Syscall.FCNTL, false, "make stdin non-blocking", stdin, new Arg.Value(Libc.F_SETFL(), "F_SETFL"),
                        new Arg.Value(Libc.O_NONBLOCK(), "O_NONBLOCK")),
                step(Syscall.READ, againOnEagain, "read a byte", stdin, new Arg.Bytes(new byte[1], "buffer"),
                        new Arg.Value(1, "1")),
                step(Syscall.EXIT_GROUP, false, "exit", new Arg.Value(EXIT_CODE, Integer.toString(EXIT_CODE)))));
        Path executable = Files.write(directory.resolve("stub"), StubImage.of(plan).bytes());
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));
        return new ProcessBuilder(executable.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static Step step(Syscall call, boolean againOnEagain, String description, Arg... args) {
        return new Step(call, List.of(args), false, Set.of(), -1, -1, againOnEagain, description);
    }
}
