package dev.jrun.internal;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rooms of runtime-core ({@code dev.jrun.internal.*}: plan, stub, launch, cgroup, seccomp, sys...)
 * depend on each other in one direction only. The graph comes from the sources, parsed by javac
 * without compiling: every import and every fully qualified name counts, so a dependency on a
 * constant the compiler inlines counts too.
 *
 * <p>Only the edges between internal packages are checked: the public API {@code dev.jrun} and the
 * internals still reference each other ({@code Container} compiles its plan with {@code PlanCompiler},
 * which reads the {@code Container}) until the container's spec is a plain value of its own.
 */
class PackageCycleTest {

    private static final String INTERNAL = "dev.jrun.internal.";

    @Test
    void theInternalRoomsFormNoCycle() throws IOException {
        Map<String, Set<String>> graph = dependencies(Path.of("src/main/java"));
        assertThat(graph).containsKeys(INTERNAL + "plan", INTERNAL + "stub", INTERNAL + "stub.x86_64", INTERNAL + "launch");
        assertThat(cycle(graph)).as("a cycle between the internal packages").isEmpty();
    }

    @Test
    void aCycleIsNamedPackageByPackage() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"));
        assertThat(cycle(graph)).hasValue(List.of("a", "b", "c", "a"));
        assertThat(cycle(Map.of("a", Set.of("b"), "b", Set.of("c")))).isEmpty();
    }

    /** {@return each internal package of the sources under {@code root}, with the internal packages it uses} */
    private static Map<String, Set<String>> dependencies(Path root) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Map<String, Set<String>> graph = new TreeMap<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null);
             Stream<Path> walk = Files.walk(root)) {
            List<Path> sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
            JavacTask task = (JavacTask) javac.getTask(null, files, null, List.of("-proc:none"), null, units);
            for (CompilationUnitTree unit : task.parse()) {
                if (unit.getPackageName() == null) {
                    continue; // module-info
                }
                String from = unit.getPackageName().toString();
                if (!from.startsWith(INTERNAL)) {
                    continue;
                }
                Set<String> uses = graph.computeIfAbsent(from, p -> new TreeSet<>());
                for (ImportTree anImport : unit.getImports()) {
                    packageOf(anImport.getQualifiedIdentifier().toString()).ifPresent(uses::add);
                }
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void visitMemberSelect(MemberSelectTree select, Void unused) {
                        packageOf(select.toString()).ifPresent(uses::add);
                        return super.visitMemberSelect(select, unused);
                    }
                }.scan(unit.getTypeDecls(), null);
                uses.removeIf(to -> to.equals(from) || !to.startsWith(INTERNAL));
            }
        }
        return graph;
    }

    /** {@return the package of a qualified name (the segments before the first capitalised one), if it has one} */
    private static Optional<String> packageOf(String qualifiedName) {
        List<String> segments = List.of(qualifiedName.split("\\."));
        for (int i = 0; i < segments.size(); i++) {
            if (!segments.get(i).isEmpty() && Character.isUpperCase(segments.get(i).charAt(0))) {
                return i == 0 ? Optional.empty() : Optional.of(String.join(".", segments.subList(0, i)));
            }
        }
        return Optional.empty();
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
