package dev.jrun.cli;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The fixture of a test that runs jrun's OCI commands on busybox containers: registered with
 * {@code @RegisterExtension} on an instance field, so each test has its own, it gives the test a
 * temporary work directory and an {@link OciCli} on the state root {@code work/state} in it. Both
 * are made with the test instance, so the test's final fields can hold them.
 *
 * <p>Before each test it skips the test unless it runs as root with busybox-static, and makes the
 * test JVM a child subreaper, once, as engines' monitors are: a container whose jrun exited becomes
 * the JVM's child, for the test to reap. Right after the test method it deletes every container,
 * so the class's {@code @AfterEach} methods find them gone (they check that no cgroup of the
 * containers' is left); after those methods it deletes any container a failed {@code @BeforeEach}
 * left, then removes the work directory.
 */
final class OciCliExtension implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

    private static boolean subreaper;

    private final Path work;
    private final OciCli jrun;

    /** Makes the work directory and the CLI on the state root in it. */
    OciCliExtension() {
        try {
            work = Files.createTempDirectory("jrun-oci-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jrun = OciCli.in(work);
    }

    /** {@return the temporary work directory, for the test's bundles and files} */
    Path work() {
        return work;
    }

    /** {@return the CLI on the state root {@code work/state}} */
    OciCli jrun() {
        return jrun;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        BusyboxBundle.assumeRootAndBusybox();
        becomeSubreaperOnce();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        jrun.deleteEveryContainer();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            jrun.deleteEveryContainer();
        } finally {
            deleteTree(work);
        }
    }

    private static synchronized void becomeSubreaperOnce() {
        if (!subreaper) {
            Subreaper.become();
            subreaper = true;
        }
    }

    /** Deletes {@code top} and everything below it, never following a symbolic link. */
    private static void deleteTree(Path top) throws IOException {
        try (Stream<Path> tree = Files.walk(top)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
