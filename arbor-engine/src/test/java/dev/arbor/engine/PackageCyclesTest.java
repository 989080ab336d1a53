package dev.arbor.engine;

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages of the engine's main code depend on each other without a cycle: storage ({@code engine.kv}) at the
 * bottom, record formats and stored documents ({@code engine.store}) and the writer ({@code engine.write}) above it,
 * the features (documents, views, Mango, ...) above those, and the database root ({@code engine.db}) and storage
 * on top. Each source file is parsed with the JDK's compiler (no attribution): its imports and the fully qualified
 * names in its code are its dependencies; comments, javadoc links included, are not.
 */
class PackageCyclesTest {
    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void mainPackagesHaveNoCycle() throws IOException {
        assertTrue(Files.isDirectory(MAIN), "run from the arbor-engine module: " + MAIN.toAbsolutePath());
        Map<String, Map<String, String>> graph = packageGraph();
        assertTrue(graph.containsKey("dev.arbor.engine.db"), "the graph holds the engine's packages: " + graph.keySet());
        List<Set<String>> cycles = cycles(graph);
        assertTrue(cycles.isEmpty(), () -> describe(cycles, graph));
    }

    @Test
    void aCycleIsFound() {
        Map<String, Map<String, String>> graph = new TreeMap<>();
        graph.put("a", Map.of("b", "A.java"));
        graph.put("b", Map.of("c", "B.java"));
        graph.put("c", Map.of("a", "C.java"));
        graph.put("d", Map.of("a", "D.java"));
        List<Set<String>> cycles = cycles(graph);
        assertFalse(cycles.isEmpty());
        assertTrue(cycles.get(0).equals(Set.of("a", "b", "c")), cycles.toString());
    }

    /** Package -> (package it depends on -> one file of it that does). Only the module's own packages are nodes. */
    private static Map<String, Map<String, String>> packageGraph() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Map<String, Map<String, String>> graph = new TreeMap<>();
        Map<String, Set<String>> uses = new HashMap<>();
        Map<String, String> fileOf = new HashMap<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(sources);
            JavacTask task = (JavacTask) compiler.getTask(null, fileManager, null, List.of("-proc:none"), null, units);
            for (CompilationUnitTree unit : task.parse()) {
                if (unit.getPackageName() == null) {
                    continue;
                }
                String pkg = unit.getPackageName().toString();
                String file = MAIN.toAbsolutePath().relativize(Path.of(unit.getSourceFile().toUri())).toString();
                graph.putIfAbsent(pkg, new TreeMap<>());
                Set<String> used = uses.computeIfAbsent(file, f -> new TreeSet<>());
                fileOf.put(file, pkg);
                for (ImportTree imported : unit.getImports()) {
                    String name = imported.getQualifiedIdentifier().toString();
                    String target = packageOf(name);
                    if (target == null && name.endsWith(".*")) {
                        target = name.substring(0, name.length() - 2); // a package's types on demand
                    }
                    if (target != null) {
                        used.add(target);
                    }
                }
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void visitMemberSelect(MemberSelectTree select, Void unused) {
                        String target = packageOf(select.toString());
                        if (target != null) {
                            used.add(target);
                        }
                        return super.visitMemberSelect(select, unused);
                    }

                    @Override
                    public Void visitImport(ImportTree tree, Void unused) {
                        return null; // counted above
                    }
                }.scan(unit, null);
            }
        }
        uses.forEach((file, targets) -> {
            String from = fileOf.get(file);
            for (String to : targets) {
                if (!to.equals(from) && graph.containsKey(to)) {
                    graph.get(from).putIfAbsent(to, file);
                }
            }
        });
        return graph;
    }

    /**
     * The package of a qualified name: its lower-case segments before the first capitalised one (a type); null when
     * the name names no type of a {@code dev.arbor} package.
     */
    private static String packageOf(String qualified) {
        if (!qualified.startsWith("dev.arbor.")) {
            return null;
        }
        String[] parts = qualified.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String part : parts) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                return pkg.toString();
            }
            if (part.equals("*")) {
                return null;
            }
            if (!pkg.isEmpty()) {
                pkg.append('.');
            }
            pkg.append(part);
        }
        return null;
    }

    /** The strongly connected components of more than one package (Tarjan's algorithm), each a cycle. */
    private static List<Set<String>> cycles(Map<String, Map<String, String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> found = new ArrayList<>();
        int[] next = {0};
        for (String start : graph.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, graph, index, low, stack, onStack, found, next);
            }
        }
        return found;
    }

    private static void connect(String node, Map<String, Map<String, String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> found, int[] next) {
        index.put(node, next[0]);
        low.put(node, next[0]);
        next[0]++;
        stack.push(node);
        onStack.add(node);
        for (String to : graph.getOrDefault(node, Map.of()).keySet()) {
            if (!index.containsKey(to)) {
                connect(to, graph, index, low, stack, onStack, found, next);
                low.put(node, Math.min(low.get(node), low.get(to)));
            } else if (onStack.contains(to)) {
                low.put(node, Math.min(low.get(node), index.get(to)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }

    private static String describe(List<Set<String>> cycles, Map<String, Map<String, String>> graph) {
        StringBuilder message = new StringBuilder("package cycles in arbor-engine's main code:");
        for (Set<String> cycle : cycles) {
            message.append("\n  ").append(cycle);
            for (String from : cycle) {
                graph.get(from).forEach((to, file) -> {
                    if (cycle.contains(to)) {
                        message.append("\n    ").append(from).append(" -> ").append(to).append(" (").append(file).append(')');
                    }
                });
            }
        }
        return message.toString();
    }
}
