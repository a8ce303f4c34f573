package dev.jrun.cli;

import dev.jrun.image.Image;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code jrun images}: the images in the image store. */
@Command(name = "images", mixinStandardHelpOptions = true, description = "List the images in the image store.")
final class ImagesCommand implements Callable<Integer>, FailureExit.ImageForm {

    private static final int SHORT_ID = 12;

    @Option(names = {"-q", "--quiet"}, description = "Print the names only.")
    private boolean quiet;

    @Override
    public Integer call() {
        List<Image> images = ImageStorage.store().images();
        if (quiet) {
            images.forEach(image -> System.out.println(image.reference()));
            return 0;
        }
        Table table = new Table("REPOSITORY", "TAG", "IMAGE ID", "LAYERS", "SIZE");
        for (Image image : images) {
            String repository = image.reference().registry() + "/" + image.reference().repository();
            table.row(repository, image.reference().tag().orElse("<none>"),
                    image.id().substring("sha256:".length(), "sha256:".length() + SHORT_ID),
                    image.layers().size(), HumanSize.of(image.size()));
        }
        System.out.print(table);
        return 0;
    }
}
