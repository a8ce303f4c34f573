package dev.jrun.oci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state root: IDs that could escape it are refused, a taken ID too, and operations on one container take turns. */
class StateStoreTest {

    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "a/b", "/", "x\0y", "sp ace"})
    void anIdThatCouldEscapeTheStateRootIsRefused(String id) {
        assertThatThrownBy(() -> new StateStore(root).create(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid container ID \"" + id + "\"");
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void aTakenIdIsRefusedAndTheExistingContainerKept() {
        StateStore store = new StateStore(root);
        try (ContainerDirectory first = store.create("web")) {
            first.keep();
        }

        assertThatThrownBy(() -> store.create("web"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("container \"web\" already exists (in " + root + ")");
        assertThat(root.resolve("web")).isDirectory();
    }

    @Test
    void aDirectoryNoContainerCouldBeNamedIsNotListed() throws IOException {
        StateStore store = new StateStore(root);
        try (ContainerDirectory web = store.create("web")) {
            web.keep();
        }
        Files.createDirectory(root.resolve("not an id"));

        assertThat(store.ids()).containsExactly("web");
    }

    @Test
    void aNewDirectoryNotKeptIsRemoved() {
        StateStore store = new StateStore(root);
        try (ContainerDirectory ignored = store.create("web")) {
            assertThat(root.resolve("web")).isDirectory();
        }

        assertThat(root.resolve("web")).doesNotExist();
    }

    @Test
    void twoOperationsOnOneContainerTakeTurns() throws InterruptedException {
        StateStore store = new StateStore(root);
        try (ContainerDirectory created = store.create("web")) {
            created.keep();
        }
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (ContainerDirectory ignored = store.open("web")) {
                    events.add("in");
                    Thread.onSpinWait();
                    events.add("out");
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(String.join(",", events)).isEqualTo("in,out,in,out,in,out,in,out");
    }

    @Test
    void aMissingContainerIsNamed() {
        assertThatThrownBy(() -> new StateStore(root).open("nope"))
                .isInstanceOf(ContainerNotFoundException.class)
                .hasMessage("container \"nope\" does not exist (in " + root + ")");
        assertThat(Files.exists(root.resolve("nope"))).isFalse();
    }
}
