package dev.jrun.internal.plan;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Paths resolved inside a root never leave it, whatever symlinks and ".." they meet. */
@Tag("plan")
class ContainedPathTest {

    @TempDir
    Path root;

    private void link(String name, String target) throws IOException {
        Path link = root.resolve(name);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(target));
    }

    @Test
    void aPlainPathStaysAsWritten() {
        assertThat(ContainedPath.resolve(root, "/usr/lib/x")).isEqualTo("/usr/lib/x");
        assertThat(ContainedPath.resolve(root, "/")).isEqualTo("/");
        assertThat(ContainedPath.resolve(root, "//a/./b/")).isEqualTo("/a/b");
    }

    @Test
    void anAbsoluteSymlinkIsResolvedFromTheRoot() throws IOException {
        link("evil", "/etc");

        assertThat(ContainedPath.resolve(root, "/evil")).isEqualTo("/etc");
        assertThat(ContainedPath.resolve(root, "/evil/passwd")).isEqualTo("/etc/passwd");
    }

    @Test
    void aRelativeSymlinkIsResolvedFromItsDirectory() throws IOException {
        Files.createDirectories(root.resolve("b"));
        link("a/link", "../b");

        assertThat(ContainedPath.resolve(root, "/a/link/x")).isEqualTo("/b/x");
    }

    @Test
    void aRelativeSymlinkClimbingPastTheRootStopsThere() throws IOException {
        link("evil", "../../../etc");

        assertThat(ContainedPath.resolve(root, "/evil/shadow")).isEqualTo("/etc/shadow");
    }

    @Test
    void dotDotNeverClimbsAboveTheRoot() {
        assertThat(ContainedPath.resolve(root, "/../../etc")).isEqualTo("/etc");
        assertThat(ContainedPath.resolve(root, "/a/../b")).isEqualTo("/b");
        assertThat(ContainedPath.resolve(root, "/a/b/../../../c")).isEqualTo("/c");
    }

    @Test
    void symlinksAreFollowedThroughChains() throws IOException {
        link("one", "two");
        link("two", "/three");

        assertThat(ContainedPath.resolve(root, "/one/x")).isEqualTo("/three/x");
    }

    @Test
    void aSymlinkLoopFailsLikeEloop() throws IOException {
        link("loop1", "loop2");
        link("loop2", "/loop1");

        assertThatIllegalArgumentException().isThrownBy(() -> ContainedPath.resolve(root, "/loop1/x"))
                .withMessageContaining("too many symlinks")
                .withMessageContaining("/loop1/x");
    }

    @Test
    void aSymlinkToItselfFails() throws IOException {
        link("self", "self");

        assertThatIllegalArgumentException().isThrownBy(() -> ContainedPath.resolve(root, "/self"))
                .withMessageContaining("too many symlinks");
    }

    @Test
    void fortySymlinksInOneLookupAreFollowedAsLinuxDoesButNotFortyOne() throws IOException {
        for (int i = 1; i <= 41; i++) {
            link("l" + i, "l" + (i + 1));
        }

        assertThat(ContainedPath.resolve(root, "/l2")).isEqualTo("/l42");
        assertThatIllegalArgumentException().isThrownBy(() -> ContainedPath.resolve(root, "/l1"));
    }
}
