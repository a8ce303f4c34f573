package dev.jrun.cli;

import dev.jrun.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code jrun rmi NAME...}: images removed from the image store. */
@Command(name = "rmi", mixinStandardHelpOptions = true,
        description = "Remove images by name, with the blobs and layers no other image or running container uses.")
final class RmiCommand implements Callable<Integer>, FailureExit.ImageForm {

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "The images' names.")
    private List<String> names;

    @Override
    public Integer call() {
        ImageStore store = ImageStorage.store();
        for (String name : names) {
            store.remove(name);
            System.out.println("Untagged: " + name);
        }
        return 0;
    }
}
