package dev.arbor.examples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * README.md's Java snippets compile against exactly what its "Use it from Maven" block tells a user to depend on.
 *
 * <p>The snippets are compiled as a module that {@code requires} the module of each artifact in that block, on a
 * module path made of this test's class path: a snippet that imports an unexported package fails ("package ... is not
 * visible"), and so does one that needs an artifact the block forgot. What compiles here is what compiles in a user's
 * project, module path or class path.
 *
 * <p>Which snippets: every {@code java} block from "### The Java API" to the next top-level section. A block with a
 * top-level {@code class} is a compilation unit and compiles as written (put in a package, since a module has no
 * unnamed one). Any other block is a fragment: it compiles as the body of a method with {@code Path dir} in scope and
 * on-demand imports of the exported packages a reader would import, so the README can show statements without
 * boilerplate. Nothing is run: running is for the tests that print (the collections tour is {@code ReadmeTourTest}).
 */
class ReadmeSnippetsTest {
    private static final String JAVA_PART = "### The Java API";
    private static final String MAVEN_SECTION = "#### Use it from Maven";
    /** What a fragment may use unqualified: the exported packages of the README's artifacts, and the JDK's usual. */
    private static final List<String> FRAGMENT_IMPORTS = List.of("dev.arbor", "dev.arbor.api", "dev.arbor.api.key",
            "dev.arbor.api.view.typed", "dev.arbor.core.error", "dev.arbor.core.json", "dev.arbor.collection",
            "java.nio.file", "java.util");
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern TOP_LEVEL_CLASS = Pattern.compile("(?m)^(public\\s+)?(final\\s+)?class\\s+(\\w+)");

    private static Path root;
    private static String readme;

    @BeforeAll
    static void readReadme() throws IOException {
        root = projectRoot();
        readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
    }

    @Test
    void theMavenBlockNamesThisProjectsArtifactsAtItsVersion() throws Exception {
        List<Dependency> dependencies = mavenBlock();
        assertEquals(List.of("arbor-engine", "arbor-client", "arbor-collections", "arbor-server"),
                dependencies.stream().map(Dependency::artifactId).toList(),
                "the README's Maven block lists embedded, remote, typed and server, in that order");
        String version = projectVersion();
        for (Dependency d : dependencies) {
            assertEquals("dev.arbor", d.groupId(), d.artifactId() + "'s groupId");
            assertEquals(version, d.version(), d.artifactId() + "'s version is the project's (root pom.xml)");
            assertTrue(Files.isDirectory(root.resolve(d.artifactId())), d.artifactId() + " is a module of this build");
        }
    }

    @Test
    void everyJavaSnippetCompilesAgainstTheArtifactsOfTheMavenBlock(@TempDir Path work) throws Exception {
        List<Block> snippets = javaSnippets();
        assertTrue(snippets.size() >= 4, "the Java part of the README has its snippets: " + snippets.size());
        Map<String, Source> sources = new LinkedHashMap<>();
        int fragments = 0;
        for (Block block : snippets) {
            Matcher unit = TOP_LEVEL_CLASS.matcher(block.text());
            if (unit.find()) {
                // Same line count as the block, so the compiler's line numbers map straight back to the README.
                sources.put(unit.group(3), new Source("package snippets; " + block.text(), block.firstLine(), 0));
            } else {
                String name = "Fragment" + (++fragments);
                String imports = FRAGMENT_IMPORTS.stream().map(p -> "import " + p + ".*; ").collect(Collectors.joining());
                sources.put(name, new Source("package snippets; " + imports + "class " + name
                        + " { static void run(Path dir) throws Exception {\n" + block.text() + "\n}}\n", block.firstLine(), 1));
            }
        }
        List<String> modules = new ArrayList<>();
        for (Dependency d : mavenBlock()) {
            modules.add(moduleOf(d.artifactId()));
        }
        List<String> errors = compile(work, modules, sources);
        if (!errors.isEmpty()) {
            fail("README.md's Java snippets do not compile against " + modules + " (the modules of its Maven block):\n"
                    + String.join("\n", errors));
        }
    }

    /** The fence is real: an engine-internal class is refused, so the test above compiles on the module path. */
    @Test
    void aSnippetReachingIntoTheEngineIsRefused(@TempDir Path work) throws Exception {
        String text = "import dev.arbor.engine.pubsub.EnginePubSub;\nclass Internal { Object pubSub = new EnginePubSub(); }\n";
        List<String> errors = compile(work, List.of(moduleOf("arbor-engine")),
                Map.of("Internal", new Source("package snippets; " + text, 1, 0)));
        assertFalse(errors.isEmpty(), "an import of dev.arbor.engine.pubsub compiled");
        assertTrue(errors.getFirst().contains("dev.arbor.engine.pubsub"), errors.getFirst());
        assertTrue(errors.getFirst().contains("not visible"), errors.getFirst());
    }

    // --- the README ---

    record Block(String language, String text, int firstLine) {}

    record Dependency(String groupId, String artifactId, String version) {}

    /** A generated source file; {@code shift} lines precede the README's first line in it. */
    record Source(String text, int readmeLine, int shift) {}

    /** Fenced code blocks of {@code markdown}, with the README line of each block's first line. */
    private static List<Block> blocks(String markdown, int firstLineOfMarkdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.length && !lines[end].startsWith("```")) {
                end++;
            }
            blocks.add(new Block(open.group(1), String.join("\n", Arrays.asList(lines).subList(i + 1, end)),
                    firstLineOfMarkdown + i + 1));
            i = end;
        }
        return blocks;
    }

    /** The text from the line {@code heading} to the next heading of level {@code endLevel} or above (fewer #s). */
    private static Block section(String heading, int endLevel) {
        int start = readme.indexOf("\n" + heading + "\n") + 1;
        assertTrue(start > 0, "README.md has no \"" + heading + "\" heading");
        Matcher next = Pattern.compile("(?m)^#{1," + endLevel + "} ").matcher(readme);
        int end = next.find(start + heading.length()) ? next.start() : readme.length();
        int line = (int) readme.substring(0, start).chars().filter(c -> c == '\n').count() + 1;
        return new Block("markdown", readme.substring(start, end), line);
    }

    private static List<Block> javaSnippets() {
        // The Java API and its sibling sections (typed views, collections), up to the next "## " section.
        Block part = section(JAVA_PART, 2);
        return blocks(part.text(), part.firstLine()).stream().filter(b -> b.language().equals("java")).toList();
    }

    private static List<Dependency> mavenBlock() throws Exception {
        Block maven = section(MAVEN_SECTION, 4);
        List<Block> xml = blocks(maven.text(), maven.firstLine()).stream().filter(b -> b.language().equals("xml")).toList();
        assertEquals(1, xml.size(), "one xml block under \"" + MAVEN_SECTION + "\"");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader("<dependencies>" + xml.getFirst().text() + "</dependencies>")));
        NodeList nodes = doc.getElementsByTagName("dependency");
        List<Dependency> dependencies = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            dependencies.add(new Dependency(text(e, "groupId"), text(e, "artifactId"), text(e, "version")));
        }
        return dependencies;
    }

    private static String text(Element parent, String tag) {
        NodeList found = parent.getElementsByTagName(tag);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().trim();
    }

    /** The root pom's own version: its first {@code <version>} (it has no parent), as ./arbor reads it. */
    private static String projectVersion() throws IOException {
        Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(root.resolve("pom.xml")));
        assertTrue(version.find(), "the root pom.xml has a version");
        return version.group(1);
    }

    /** The directory of the root pom (surefire runs in the module's directory, but an IDE may not). */
    private static Path projectRoot() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.exists(dir.resolve("README.md")) && Files.exists(pom) && Files.readString(pom).contains("<modules>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root (README.md beside a pom.xml with <modules>) above "
                + Path.of("").toAbsolutePath());
    }

    // --- compiling ---

    private static List<Path> testClassPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(path.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /** The module name of the artifact's jar (or classes directory, in a reactor build) on the test class path. */
    private static String moduleOf(String artifactId) {
        for (Path entry : testClassPath()) {
            boolean classes = entry.endsWith(Path.of(artifactId, "target", "classes"));
            String file = entry.getFileName() == null ? "" : entry.getFileName().toString();
            if (classes || (file.startsWith(artifactId + "-") && file.endsWith(".jar") && !file.endsWith("-tests.jar"))) {
                var descriptor = ModuleFinder.of(entry).findAll().stream().findFirst()
                        .orElseThrow(() -> new AssertionError(artifactId + " at " + entry + " is no module")).descriptor();
                assertFalse(descriptor.isAutomatic(), artifactId + " has a module-info (" + entry + ")");
                return descriptor.name();
            }
        }
        throw new AssertionError(artifactId + " is not on arbor-examples' test class path; add it as a test dependency");
    }

    /**
     * Every entry of the test class path that is a module, explicit or automatic. Directories without a module-info
     * (this module's test classes) would become automatic modules splitting packages with the real ones, so they stay
     * out; so does anything ModuleFinder refuses.
     */
    private static String modulePath() {
        List<String> entries = new ArrayList<>();
        for (Path entry : testClassPath()) {
            if (Files.isDirectory(entry) && !Files.exists(entry.resolve("module-info.class"))) {
                continue;
            }
            try {
                Set<ModuleReference> found = ModuleFinder.of(entry).findAll();
                if (!found.isEmpty()) {
                    entries.add(entry.toString());
                }
            } catch (FindException notAModule) {
                // A jar whose name makes no module name: nothing a snippet could require.
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Compiles {@code sources} as module {@code snippets} requiring {@code modules}; the errors, at README lines. */
    private static List<String> compile(Path work, List<String> modules, Map<String, Source> sources) throws IOException {
        Path src = work.resolve("src");
        Path pkg = Files.createDirectories(src.resolve("snippets"));
        Files.writeString(src.resolve("module-info.java"), "module snippets { "
                + modules.stream().map(m -> "requires " + m + "; ").collect(Collectors.joining()) + "}\n");
        Map<Path, Source> byFile = new LinkedHashMap<>();
        for (var s : sources.entrySet()) {
            Path file = pkg.resolve(s.getKey() + ".java");
            Files.writeString(file, s.getValue().text());
            byFile.put(file.toAbsolutePath().normalize(), s.getValue());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<Path> all = new ArrayList<>(byFile.keySet());
            all.add(src.resolve("module-info.java"));
            // --release 21: the README promises Java 21 is enough.
            List<String> options = List.of("--release", "21", "--module-path", modulePath(),
                    "-d", work.resolve("classes").toString(), "-proc:none", "-implicit:none");
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(all)).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            Source source = d.getSource() == null ? null : byFile.get(Path.of(d.getSource().toUri()).toAbsolutePath().normalize());
            String where = source == null ? String.valueOf(d.getSource())
                    : "README.md:" + (source.readmeLine() + d.getLineNumber() - 1 - source.shift());
            errors.add(where + ": " + d.getMessage(Locale.ROOT));
        }
        return errors;
    }
}
