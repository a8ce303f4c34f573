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
 * The packages of runtime-core depend on each other in one direction only, with one exception the
 * second test bounds: {@code dev.jrun} holds both the values the internals read (namespaces,
 * resources, the exceptions) and the entry points that call the internals ({@code Container},
 * {@code Cgroup.open}), so at package level it and the internals use each other. At class level no
 * cycle crosses between a public package and an internal one: what the internals use of
 * {@code dev.jrun} never leads back to them. {@code dev.jrun.image} has the same shape (the image
 * values and exceptions the internals build, and {@code ImageStore}, which calls them) and the same
 * exception, bounded by the same class-level test.
 *
 * <p>The graph comes from the sources, parsed by javac without compiling: every import, every fully
 * qualified name and every simple name of a class of the same package counts, so a dependency on a
 * constant the compiler inlines counts too.
 */
class PackageCycleTest {

    private static final String ROOT = "dev.jrun";
    private static final String INTERNAL = "dev.jrun.internal.";
    /** Packages of values the internals read next to the entry points that call the internals. */
    private static final Set<String> VALUES_AND_ENTRY_POINTS = Set.of(ROOT, ROOT + ".image");

    private static Map<String, Set<String>> classes;

    @BeforeAll
    static void parseTheSources() throws IOException {
        classes = classDependencies(Path.of("src/main/java"));
    }

    @Test
    void everyPackageButThePublicValuesOneFormsNoCycle() {
        Map<String, Set<String>> packages = packageGraph(classes);
        VALUES_AND_ENTRY_POINTS.forEach(packages::remove);
        packages.values().forEach(uses -> uses.removeAll(VALUES_AND_ENTRY_POINTS));

        assertThat(packages).containsKeys(ROOT + ".launch", ROOT + ".oci", INTERNAL + "plan", INTERNAL + "stub",
                INTERNAL + "stub.x86_64", INTERNAL + "launch", INTERNAL + "sys", INTERNAL + "image");
        assertThat(cycle(packages)).as("a package cycle").isEmpty();
    }

    @Test
    void noClassCycleCrossesBetweenThePublicApiAndTheInternals() {
        assertThat(classes).containsKeys(ROOT + ".Container", INTERNAL + "plan.PlanCompiler");
        assertThat(crossingCycles(classes)).as("classes in a cycle across public and internal packages").isEmpty();
    }

    @Test
    void aCycleIsNamedPackageByPackage() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"));
        assertThat(cycle(graph)).hasValue(List.of("a", "b", "c", "a"));
        assertThat(cycle(Map.of("a", Set.of("b"), "b", Set.of("c")))).isEmpty();
    }

    @Test
    void aClassCycleCountsOnlyWhenItSpansPublicAndInternalPackages() {
        Map<String, Set<String>> graph = Map.of(
                "dev.jrun.A", Set.of("dev.jrun.internal.x.B"), "dev.jrun.internal.x.B", Set.of("dev.jrun.A"),
                "dev.jrun.C", Set.of("dev.jrun.D"), "dev.jrun.D", Set.of("dev.jrun.C", "dev.jrun.internal.x.E"),
                "dev.jrun.internal.x.E", Set.of("dev.jrun.F"));

        assertThat(crossingCycles(graph)).containsExactly(Set.of("dev.jrun.A", "dev.jrun.internal.x.B"));
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

    /** {@return the strongly connected sets of classes that hold both a public and an internal class} */
    private static List<Set<String>> crossingCycles(Map<String, Set<String>> graph) {
        return new StronglyConnected(graph).components().stream()
                .filter(component -> component.stream().anyMatch(c -> c.startsWith(INTERNAL))
                        && component.stream().anyMatch(c -> !c.startsWith(INTERNAL)))
                .toList();
    }

    /** Tarjan's strongly connected components. */
    private static final class StronglyConnected {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> lowLink = new HashMap<>();
        private final List<String> stack = new ArrayList<>();
        private final List<Set<String>> components = new ArrayList<>();

        StronglyConnected(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        List<Set<String>> components() {
            new TreeSet<>(graph.keySet()).forEach(node -> {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            });
            return components;
        }

        private void visit(String node) {
            index.put(node, index.size());
            lowLink.put(node, index.get(node));
            stack.add(node);
            for (String next : graph.getOrDefault(node, Set.of())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
                } else if (stack.contains(next)) {
                    lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
                }
            }
            if (lowLink.get(node).equals(index.get(node))) {
                Set<String> component = new TreeSet<>();
                String popped;
                do {
                    popped = stack.removeLast();
                    component.add(popped);
                } while (!popped.equals(node));
                components.add(component);
            }
        }
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
