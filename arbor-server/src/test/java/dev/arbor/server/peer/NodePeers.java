package dev.arbor.server.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Node.js and the npm packages of {@code src/test/node} (PouchDB 9, pouchdb-server, nano), for tests
 * that run real CouchDB peers.
 *
 * <p>The packages are installed with {@code npm ci} once per version of {@code package-lock.json}: into
 * {@code <cache>/<first 16 hex digits of the lock's SHA-256>}, where the cache is {@code $ARBOR_NODE_CACHE}
 * or {@code ~/.cache/arbor/node-peers}. {@code .ci/run} installs into the same place ahead of the tests.
 * The scripts themselves stay in the source tree and find the packages through {@code NODE_PATH}.
 *
 * <p>Every process started here is a child of the test JVM bound to loopback addresses only, and is
 * killed with its descendants on {@link #close()}.
 */
public final class NodePeers implements AutoCloseable {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final String INSTALLED_MARKER = ".installed";

    private final Path node;
    private final Path scripts;
    private final Path nodeModules;
    private final List<Process> started = new ArrayList<>();

    private NodePeers(Path node, Path scripts, Path nodeModules) {
        this.node = node;
        this.scripts = scripts;
        this.nodeModules = nodeModules;
    }

    /** Finds node and npm on the PATH and installs the packages if this lock file's install is missing. */
    public static NodePeers install() {
        Path scripts = scriptsDir();
        Path node = onPath("node").orElseThrow(() -> new IllegalStateException(
                "the real-peer tests need Node.js: no 'node' on PATH (install nodejs and npm)"));
        Path npm = onPath("npm").orElseThrow(() -> new IllegalStateException(
                "the real-peer tests need npm: no 'npm' on PATH (install npm)"));
        Path installDir = cacheRoot().resolve(lockKey(scripts.resolve("package-lock.json")));
        ensureInstalled(npm, scripts, installDir);
        return new NodePeers(node, scripts, installDir.resolve("node_modules"));
    }

    /** {@code src/test/node} of this module: Maven runs tests from the module directory. */
    public static Path scriptsDir() {
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("src/test/node").toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("package-lock.json"))) {
            throw new IllegalStateException("no package-lock.json in " + dir + "; run the tests from arbor-server");
        }
        return dir;
    }

    static Path cacheRoot() {
        String configured = System.getenv("ARBOR_NODE_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("arbor").resolve("node-peers");
    }

    /** The first 16 hex digits of the lock file's SHA-256: the same as {@code sha256sum | cut -c1-16} in .ci/run. */
    static String lockKey(Path lockFile) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(lockFile));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code npm ci} in {@code installDir} unless a finished install is there. A file lock keeps two
     * test JVMs from installing into the same directory at once; the marker is written last, so an
     * interrupted install is redone.
     */
    private static void ensureInstalled(Path npm, Path scripts, Path installDir) {
        try {
            Files.createDirectories(installDir);
            try (FileChannel lockChannel = FileChannel.open(installDir.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                if (Files.exists(installDir.resolve(INSTALLED_MARKER))) {
                    return;
                }
                for (String file : List.of("package.json", "package-lock.json")) {
                    Files.copy(scripts.resolve(file), installDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
                Path log = installDir.resolve("npm-ci.log");
                // --ignore-scripts: the native modules (leveldown) ship prebuilt binaries loaded at run
                // time; install scripts would only try to compile or download what is not needed.
                Process npmCi = new ProcessBuilder(npm.toString(), "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                        .directory(installDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!npmCi.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    destroyTree(npmCi);
                    throw new IllegalStateException("npm ci timed out after " + INSTALL_TIMEOUT + "; see " + log);
                }
                if (npmCi.exitValue() != 0) {
                    throw new IllegalStateException("npm ci exited " + npmCi.exitValue() + " in " + installDir + ":\n"
                            + tail(log, 30));
                }
                Files.writeString(installDir.resolve(INSTALLED_MARKER), "npm ci done\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the Node packages into " + installDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the Node packages", e);
        }
    }

    /** Starts {@code node <args>} in {@code workDir}; it lives until {@link #close()}. Output goes to files in workDir. */
    public Process start(Path workDir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(node.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("stdout.log").toFile())
                .redirectError(workDir.resolve("stderr.log").toFile());
        builder.environment().put("NODE_PATH", nodeModules.toString());
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            synchronized (started) {
                started.add(process);
            }
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** The path of a package's file inside the install, e.g. pouchdb-server's bin script. */
    public Path packageFile(String relative) {
        Path file = nodeModules.resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing from the Node install");
        }
        return file;
    }

    /**
     * Runs a scenario script of {@code src/test/node} against {@code server} to its end and returns what
     * it reported. A script that does not finish within {@code timeout} is killed and reported as such.
     */
    public ScenarioReport runScenario(String script, ServerUnderTest server, Path workDir, Duration timeout) {
        try {
            Files.createDirectories(workDir);
            Process process = start(workDir, server.environment(), scripts.resolve(script).toString());
            boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                destroyTree(process);
                process.waitFor(5, TimeUnit.SECONDS);
            }
            String stdout = Files.readString(workDir.resolve("stdout.log"), StandardCharsets.UTF_8);
            String stderr = Files.readString(workDir.resolve("stderr.log"), StandardCharsets.UTF_8);
            return ScenarioReport.parse(script, finished ? process.exitValue() : -1, stdout,
                    finished ? stderr : stderr + "\n(killed: did not finish within " + timeout + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }

    /** Kills every process started here, children first. */
    @Override
    public void close() {
        List<Process> toKill;
        synchronized (started) {
            toKill = List.copyOf(started);
            started.clear();
        }
        toKill.forEach(NodePeers::destroyTree);
        for (Process p : toKill) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
