package dev.jrun.image;

import java.util.ArrayList;
import java.util.List;

/**
 * What an image's config says about the process to run, with docker's meaning.
 *
 * @param entrypoint the executable and its first arguments; a command given to run follows it
 * @param cmd        the default arguments (or whole command, with no entrypoint)
 * @param env        variables, each {@code NAME=VALUE}
 * @param workingDir the directory to start in, empty for {@code /}
 * @param user       {@code user}, {@code uid}, {@code user:group} or {@code uid:gid}, empty for root
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                          String user) {

    /** Copies the lists. */
    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
    }

    /**
     * {@return this config with {@code entrypoint} in place of its Entrypoint and no Cmd, as
     * docker's {@code --entrypoint} replaces them; an empty {@code entrypoint} clears it, and a
     * container's arguments are then its whole command}
     */
    public ImageConfig withEntrypoint(List<String> entrypoint) {
        return new ImageConfig(entrypoint, List.of(), env, workingDir, user);
    }

    /**
     * {@return the command a container of this image runs: the entrypoint followed by
     * {@code arguments}, or by the image's Cmd when {@code arguments} is empty}
     *
     * @throws InvalidImageException when that leaves no command at all
     */
    public List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>(entrypoint);
        command.addAll(arguments.isEmpty() ? cmd : arguments);
        if (command.isEmpty()) {
            throw new InvalidImageException("the image names no command (no Entrypoint or Cmd): give one");
        }
        return List.copyOf(command);
    }
}
