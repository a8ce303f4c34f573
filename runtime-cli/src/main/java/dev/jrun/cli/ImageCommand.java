package dev.jrun.cli;

import picocli.CommandLine.Command;

/** {@code jrun image}: docker's and podman's group of image commands; {@code prune} for now. */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage the images in the image store.",
        subcommands = ImagePruneCommand.class)
final class ImageCommand implements FailureExit.ImageForm {
}
