package dev.jrun.cli;

import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** A command on one container: the global options, and the container's ID as the first parameter. */
abstract class ContainerCommand implements Callable<Integer> {

    @ParentCommand
    JrunCommand jrun;

    @Parameters(index = "0", paramLabel = "ID", description = "The container's ID.")
    private String id;

    /** {@return the container's ID} */
    String id() {
        return id;
    }
}
