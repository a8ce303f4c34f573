package dev.jrun.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The workload the build trains jrun's AOT cache on (JDK 25, JEP 483/514/515):
 * the commands that start a container ({@code run}, {@code create}, {@code exec},
 * the only ones {@code ./jrun} gives the cache), one after another in this JVM, so
 * that the cache holds the classes, linkage and profiles each of them needs.
 * A JVM records one run only, hence one process for every command.
 * {@code runtime-cli/src/build/train-aot.sh} runs it while packaging.
 *
 * <p>Usage: {@code AotTraining WORK_DIR [--containers]}. Without
 * {@code --containers} (the builder is not root) only {@code run --dry-run}
 * runs. Exit codes of the commands are not checked: a command that fails
 * still trains its error path, and the cache only speeds jrun up.
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        boolean containers = List.of(args).contains("--containers");
        String root = work.resolve("state").toString();
        Path bundle = work.resolve("bundle");
        Path sleeper = work.resolve("sleeper");
        Files.createDirectories(bundle);
        Files.createDirectories(sleeper);

        Main.run(new String[] {"spec", "-b", bundle.toString()});
        String template = Files.readString(bundle.resolve("config.json"));
        hostRootBundle(template, bundle, "\"true\"");
        hostRootBundle(template, sleeper, "\"sleep\", \"10\"");
        Main.run(new String[] {"run", "--dry-run", "--", "true"});
        if (!containers) {
            return;
        }
        Main.run(new String[] {"--root", root, "run", "-b", bundle.toString(), "train-run"});
        Main.run(new String[] {"run", "--", "true"});
        Main.run(new String[] {"--root", root, "create", "-b", sleeper.toString(), "train-life"});
        Main.run(new String[] {"--root", root, "start", "train-life"});
        Main.run(new String[] {"--root", root, "exec", "train-life", "true"});
        Main.run(new String[] {"--root", root, "kill", "train-life", "KILL"});
        Main.run(new String[] {"--root", root, "delete", "--force", "train-life"});
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
