package dev.jrun.internal;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of runtime-core depend on each other in one direction only: the entry points
 * ({@code dev.jrun}) use the internals, the internals use the values and handles
 * ({@code dev.jrun.model}) and the plan types ({@code dev.jrun.launch}), and those use nothing
 * above them.
 *
 * <p>The graph comes from the sources, parsed by javac without compiling: every import, every fully
 * qualified name and every simple name of a class of the same package counts, so a dependency on a
 * constant the compiler inlines counts too.
 */
class PackageCycleTest {

    private static final String ROOT = "dev.jrun";
    private static final String INTERNAL = "dev.jrun.internal.";

    private static Map<String, Set<String>> classes;

    @BeforeAll
    static void parseTheSources() throws IOException {
        classes = classDependencies(Path.of("src/main/java"));
    }

    @Test
    void noPackageFormsACycle() {
        Map<String, Set<String>> packages = packageGraph(classes);

        assertThat(packages).containsKeys(ROOT, ROOT + ".model", ROOT + ".launch", ROOT + ".oci", INTERNAL + "plan",
                INTERNAL + "stub", INTERNAL + "stub.x86_64", INTERNAL + "launch", INTERNAL + "sys");
        assertThat(cycle(packages)).as("a package cycle").isEmpty();
    }

    @Test
    void theValuesUseNoInternalsButTheLeafOnes() {
        Map<String, Set<String>> packages = packageGraph(classes);

        assertThat(packages.get(ROOT + ".model")).allMatch(used -> !used.startsWith(ROOT + ".")
                || used.equals(ROOT + ".launch") || used.equals(INTERNAL + "libc") || used.equals(INTERNAL + "flags"));
    }

    @Test
    void aCycleIsNamedPackageByPackage() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"));
        assertThat(cycle(graph)).hasValue(List.of("a", "b", "c", "a"));
        assertThat(cycle(Map.of("a", Set.of("b"), "b", Set.of("c")))).isEmpty();
    }

    /** {@return each top-level class of the sources under {@code root}, with the classes of runtime-core it uses} */
    private static Map<String, Set<String>> classDependencies(Path root) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Map<String, Set<String>> graph = new TreeMap<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null);
             Stream<Path> walk = Files.walk(root)) {
            List<Path> sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
            JavacTask task = (JavacTask) javac.getTask(null, files, null, List.of("-proc:none"), null, units);
            List<CompilationUnitTree> parsed = new ArrayList<>();
            Map<String, Set<String>> classesByPackage = new HashMap<>();
            for (CompilationUnitTree unit : task.parse()) {
                if (unit.getPackageName() != null) { // not module-info
                    parsed.add(unit);
                    classesByPackage.computeIfAbsent(unit.getPackageName().toString(), p -> new TreeSet<>())
                            .add(topLevelName(unit));
                }
            }
            for (CompilationUnitTree unit : parsed) {
                String pkg = unit.getPackageName().toString();
                String from = pkg + "." + topLevelName(unit);
                Set<String> uses = graph.computeIfAbsent(from, c -> new TreeSet<>());
                for (ImportTree anImport : unit.getImports()) {
                    classOf(anImport.getQualifiedIdentifier().toString()).ifPresent(uses::add);
                }
                Set<String> samePackage = classesByPackage.get(pkg);
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void visitMemberSelect(MemberSelectTree select, Void unused) {
                        classOf(select.toString()).ifPresent(uses::add);
                        return super.visitMemberSelect(select, unused);
                    }

                    @Override
                    public Void visitIdentifier(IdentifierTree identifier, Void unused) {
                        String name = identifier.getName().toString();
                        if (samePackage.contains(name)) {
                            uses.add(pkg + "." + name);
                        }
                        return super.visitIdentifier(identifier, unused);
                    }
                }.scan(unit.getTypeDecls(), null);
                uses.removeIf(to -> to.equals(from) || !to.startsWith(ROOT + ".") || to.startsWith(ROOT + ".bindings."));
            }
        }
        graph.values().forEach(uses -> uses.retainAll(graph.keySet()));
        return graph;
    }

    /** {@return the name of the unit's file, which is its top-level public (or only) class} */
    private static String topLevelName(CompilationUnitTree unit) {
        String file = Path.of(unit.getSourceFile().toUri()).getFileName().toString();
        return file.substring(0, file.length() - ".java".length());
    }

    /** {@return the top-level class a qualified name starts with (up to its first capitalised segment), if any} */
    private static Optional<String> classOf(String qualifiedName) {
        List<String> segments = List.of(qualifiedName.split("\\."));
        for (int i = 0; i < segments.size(); i++) {
            if (!segments.get(i).isEmpty() && Character.isUpperCase(segments.get(i).charAt(0))) {
                return i == 0 ? Optional.empty() : Optional.of(String.join(".", segments.subList(0, i + 1)));
            }
        }
        return Optional.empty();
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    /** {@return the class graph collapsed onto packages, without a package's edges to itself} */
    private static Map<String, Set<String>> packageGraph(Map<String, Set<String>> classGraph) {
        Map<String, Set<String>> packages = new TreeMap<>();
        classGraph.forEach((from, uses) -> {
            Set<String> to = packages.computeIfAbsent(packageOf(from), p -> new TreeSet<>());
            uses.stream().map(PackageCycleTest::packageOf).forEach(to::add);
            to.remove(packageOf(from));
        });
        return packages;
    }

    /** {@return a cycle in {@code graph} as the packages along it, the first one repeated at the end, if there is one} */
    private static Optional<List<String>> cycle(Map<String, Set<String>> graph) {
        Set<String> done = new TreeSet<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            Optional<List<String>> found = cycleFrom(start, graph, new ArrayList<>(), done);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> cycleFrom(String node, Map<String, Set<String>> graph, List<String> path,
                                                    Set<String> done) {
        int seen = path.indexOf(node);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(node);
            return Optional.of(cycle);
        }
        if (done.contains(node)) {
            return Optional.empty();
        }
        path.add(node);
        for (String next : new TreeSet<>(graph.getOrDefault(node, Set.of()))) {
            Optional<List<String>> found = cycleFrom(next, graph, path, done);
            if (found.isPresent()) {
                return found;
            }
        }
        path.removeLast();
        done.add(node);
        return Optional.empty();
    }
}
