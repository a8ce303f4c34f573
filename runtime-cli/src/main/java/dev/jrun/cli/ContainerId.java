package dev.jrun.cli;

import picocli.CommandLine.Parameters;

/** The {@code ID} parameter every command on one container takes first. */
final class ContainerId {

    @Parameters(index = "0", paramLabel = "ID", description = "The container's ID.")
    String id;
}
