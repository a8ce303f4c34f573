package dev.jrun.cli;

import dev.jrun.image.Image;
import dev.jrun.image.PullOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code jrun pull IMAGE}: an image from its registry into the image store. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Pull an image from a registry (OCI Distribution API) into the image store, and print its"
                + " name and ID. Credentials come from $XDG_RUNTIME_DIR/containers/auth.json (podman login)"
                + " or ~/.docker/config.json (docker login).",
            "Progress goes to stderr: redrawn in place on a terminal, a line per layer otherwise."})
final class PullCommand implements Callable<Integer>, FailureExit.ImageForm {

    @ParentCommand
    private JrunCommand jrun;

    @Option(names = "--insecure", description = "Speak plain HTTP to the registry (without it, only a registry"
            + " on loopback is spoken to in plain HTTP, every other one over HTTPS).")
    private boolean insecure;

    @Parameters(paramLabel = "IMAGE", description = "The image, e.g. registry.example:5000/app:1 or busybox"
            + " (docker.io/library/busybox:latest).")
    private String image;

    @Override
    public Integer call() {
        Image pulled = ImageStorage.store(jrun.log()).pull(image,
                PullOptions.defaults().withInsecure(insecure).withProgress(PullDisplay.onStderr()));
        System.out.println(pulled.reference() + " " + pulled.id());
        return 0;
    }
}
