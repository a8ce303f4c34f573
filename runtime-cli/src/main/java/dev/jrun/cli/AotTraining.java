package dev.jrun.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The workloads the build trains jrun's two AOT caches on (JDK 25, JEP 483/514/515). The JVM
 * loads every class of a cache when it starts, so a command does best with a cache that holds what
 * it needs and little more: the {@code launch} cache serves the commands that start a container
 * ({@code run}, {@code create}, {@code exec}), the {@code control} cache the short commands that
 * manage one ({@code state}, {@code start}, {@code kill}, {@code delete}, {@code list} and the
 * rest). A JVM records one run only, hence one process per workload, the commands of a workload
 * one after another in it. {@code runtime-cli/src/build/train-aot.sh} runs {@code launch} and then
 * {@code control} on the same work directory: the containers {@code launch} leaves are the ones
 * {@code control} starts, inspects, kills and deletes.
 *
 * <p>Usage: {@code AotTraining launch|control WORK_DIR [--containers]}. Without
 * {@code --containers} (the builder is not root) no container starts: {@code launch} runs
 * {@code run --dry-run}, {@code control} the commands' error paths. Exit codes of the commands are
 * not checked: a command that fails still trains its error path, and a cache only speeds jrun up.
 */
public final class AotTraining {

    /** Created, started and given an exec by {@code launch}; killed and deleted by {@code control}. */
    private static final String RUNNING = "train-running";
    /** Created by {@code launch}, started, killed and deleted by {@code control}. */
    private static final String CREATED = "train-created";

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        String workload = args[0];
        Path work = Path.of(args[1]);
        boolean containers = List.of(args).contains("--containers");
        String root = work.resolve("state").toString();
        switch (workload) {
            case "launch" -> launch(work, root, containers);
            case "control" -> control(root, containers);
            default -> throw new IllegalArgumentException("unknown workload " + workload + ": launch or control");
        }
    }

    private static void launch(Path work, String root, boolean containers) throws IOException {
        Path bundle = work.resolve("bundle");
        Path sleeper = work.resolve("sleeper");
        Files.createDirectories(bundle);
        Files.createDirectories(sleeper);
        Main.run(new String[] {"spec", "-b", bundle.toString()});
        String template = Files.readString(bundle.resolve("config.json"));
        hostRootBundle(template, bundle, "\"true\"");
        // Long enough to outlive writing this cache and training the next; control kills it.
        hostRootBundle(template, sleeper, "\"sleep\", \"120\"");
        Main.run(new String[] {"run", "--dry-run", "--", "true"});
        if (!containers) {
            return;
        }
        Main.run(new String[] {"--root", root, "run", "-b", bundle.toString(), "train-run"});
        Main.run(new String[] {"run", "--", "true"});
        Main.run(new String[] {"--root", root, "create", "-b", sleeper.toString(), RUNNING});
        Main.run(new String[] {"--root", root, "start", RUNNING});
        Main.run(new String[] {"--root", root, "exec", RUNNING, "true"});
        Main.run(new String[] {"--root", root, "create", "-b", sleeper.toString(), CREATED});
    }

    private static void control(String root, boolean containers) {
        Main.run(new String[] {"--root", root, "list"});
        Main.run(new String[] {"--root", root, "state", containers ? RUNNING : "absent"});
        if (!containers) {
            return;
        }
        Main.run(new String[] {"--root", root, "start", CREATED});
        Main.run(new String[] {"--root", root, "state", CREATED});
        Main.run(new String[] {"--root", root, "kill", RUNNING, "KILL"});
        Main.run(new String[] {"--root", root, "delete", "--force", RUNNING});
        Main.run(new String[] {"--root", root, "delete", "--force", CREATED});
    }

    /**
     * Writes to {@code bundle} the default config.json that {@code spec} wrote, changed to run
     * {@code args} without a terminal on the host's root, read-only, so that training needs no image.
     */
    private static void hostRootBundle(String template, Path bundle, String args) throws IOException {
        String edited = template.replace("\"terminal\" : true", "\"terminal\" : false")
                .replace("\"args\" : [ \"sh\" ]", "\"args\" : [ " + args + " ]")
                .replace("\"path\" : \"rootfs\"", "\"path\" : \"/\"");
        if (!edited.contains("\"terminal\" : false") || !edited.contains(args) || !edited.contains("\"path\" : \"/\"")) {
            throw new IllegalStateException("jrun spec's config.json changed: update AotTraining's bundle");
        }
        Files.writeString(bundle.resolve("config.json"), edited);
    }
}
