package dev.jrun.cli;

import dev.jrun.image.Image;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code jrun import SOURCE [NAME]}: an image from a local file or directory into the image store. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import an image from an OCI image layout directory, an OCI archive"
                + " (podman save --format oci-archive) or a docker-archive (docker save, podman save).",
            "Images are stored in $JRUN_STORAGE, else /var/lib/jrun (root) or $XDG_DATA_HOME/jrun."})
final class ImportCommand implements Callable<Integer>, FailureExit.ImageForm {

    @ParentCommand
    private JrunCommand jrun;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The directory or archive.")
    private Path source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME",
            description = "The name to give the image (default: the name the source records).")
    private String name;

    @Override
    public Integer call() {
        Image image = ImageStorage.store(jrun.log()).importImage(source, Optional.ofNullable(name));
        System.out.println(image.reference() + " " + image.id());
        return 0;
    }
}
