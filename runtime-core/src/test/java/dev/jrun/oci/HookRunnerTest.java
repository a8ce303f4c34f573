package dev.jrun.oci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hooks in the runtime's namespaces: in order, the state on stdin, their own environment, a timeout. */
class HookRunnerTest {

    private static final State STATE = new State(State.OCI_VERSION, "web", Status.CREATING, 42, "/b", Map.of());

    @TempDir
    Path work;

    private static Spec.Hook shell(String script, Integer timeout, String... env) {
        return new Spec.Hook("/bin/sh", List.of("sh", "-c", script), List.of(env), timeout);
    }

    private static HookRunner prestart(Spec.Hook... hooks) {
        return new HookRunner(Optional.of(new Spec.Hooks(List.of(hooks), null, null, null, null, null)));
    }

    @Test
    void hooksRunInOrderWithTheStateOnStdinAndOnlyTheirOwnEnvironment() throws IOException {
        Path log = work.resolve("log");
        prestart(shell("echo first $NAME ${HOME:-no-home} >> " + log + "; cat >> " + log, null, "NAME=one"),
                shell("echo second >> " + log, null)).run(HookRunner.Kind.PRESTART, STATE);

        String logged = Files.readString(log);
        assertThat(logged).startsWith("first one no-home\n").endsWith("}second\n");
        assertThat(logged).contains("\"id\" : \"web\"", "\"status\" : \"creating\"", "\"pid\" : 42");
    }

    @Test
    void theFirstFailingHookStopsTheOthersAndItsOutputIsInTheError() {
        Path later = work.resolve("later");

        assertThatThrownBy(() -> prestart(shell("echo cannot do it >&2; exit 3", null),
                shell("touch " + later, null)).run(HookRunner.Kind.PRESTART, STATE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("error running hook prestart[0] (/bin/sh): exited with 3: cannot do it");
        assertThat(later).doesNotExist();
    }

    @Test
    void aHookThatOutlivesItsTimeoutIsKilled() {
        assertThatThrownBy(() -> prestart(shell("echo started; exec sleep 600", 1)).run(HookRunner.Kind.PRESTART, STATE))
                .hasMessage("error running hook prestart[0] (/bin/sh): timed out after 1 s: started");
    }

    @Test
    void poststopHooksAllRunAndTheirFailuresAreWarnings() throws IOException {
        Path log = work.resolve("log");
        HookRunner hooks = new HookRunner(Optional.of(new Spec.Hooks(null, null, null, null, null,
                List.of(shell("exit 1", null), shell("echo ran >> " + log, null)))));

        List<String> warnings = hooks.runAll(HookRunner.Kind.POSTSTOP, STATE.with(Status.STOPPED, 0));

        assertThat(warnings).containsExactly("error running hook poststop[0] (/bin/sh): exited with 1");
        assertThat(Files.readString(log)).isEqualTo("ran\n");
    }
}
