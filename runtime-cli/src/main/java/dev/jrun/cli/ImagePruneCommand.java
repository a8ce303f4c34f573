package dev.jrun.cli;

import dev.jrun.image.PruneResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code jrun image prune [-a]}: what no image or container uses, removed from the image store. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Remove unnamed images (the blobs and layers no name or container uses, what an interrupted"
                + " import or pull left) and print what went and the space reclaimed.")
final class ImagePruneCommand implements Callable<Integer>, FailureExit.ImageForm {

    @Option(names = {"-a", "--all"}, description = "Remove every image no container uses, named or not.")
    private boolean all;

    @Override
    public Integer call() {
        PruneResult result = ImageStorage.store().prune(all);
        if (!result.untagged().isEmpty() || !result.blobs().isEmpty() || !result.layers().isEmpty()) {
            System.out.println("Deleted Images:");
            result.untagged().forEach(name -> System.out.println("untagged: " + name));
            result.blobs().forEach(blob -> System.out.println("deleted: " + blob));
            result.layers().forEach(layer -> System.out.println("deleted layer: " + layer));
            System.out.println();
        }
        result.leftovers().forEach(leftover -> System.out.println("deleted leftover: " + leftover));
        System.out.println("Total reclaimed space: " + HumanSize.of(result.reclaimedBytes()));
        return 0;
    }
}
