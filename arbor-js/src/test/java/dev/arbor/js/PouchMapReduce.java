package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * PouchDB's map/reduce (temporary views on an in-memory database) run through Node.js, for the
 * cross-check with Arbor's. The approach of arbor-core's {@code PouchSelectorCore}: the packages of
 * {@code src/test/node/mapreduce} are installed with {@code npm ci} once per version of its lock file, into
 * {@code <cache>/mapreduce-<first 16 hex digits of the lock's SHA-256>}, where the cache is
 * {@code $ARBOR_NODE_CACHE} or {@code ~/.cache/arbor/node-peers}.
 */
public final class PouchMapReduce {
    private static final long TIMEOUT_SECONDS = 600;

    private final Path node;
    private final Path script;
    private final Path nodeModules;

    private PouchMapReduce(Path node, Path script, Path nodeModules) {
        this.node = node;
        this.script = script;
        this.nodeModules = nodeModules;
    }

    public static PouchMapReduce install() {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        // Other modules' tests (the engine's view cross-check) use this module's scripts from beside them.
        Path sources = Files.isDirectory(module.resolve("src/test/node/mapreduce")) ? module.resolve("src/test/node/mapreduce")
                : module.resolveSibling("arbor-js").resolve("src/test/node/mapreduce");
        Path node = onPath("node").orElseThrow(() -> new IllegalStateException("the PouchDB cross-check needs Node.js on PATH"));
        Path npm = onPath("npm").orElseThrow(() -> new IllegalStateException("the PouchDB cross-check needs npm on PATH"));
        Path installDir = cacheRoot().resolve("mapreduce-" + lockKey(sources.resolve("package-lock.json")));
        ensureInstalled(npm, sources, installDir);
        return new PouchMapReduce(node, sources.resolve("crosscheck.js"), installDir.resolve("node_modules"));
    }

    /** Runs the cross-check script on {@code input} and returns its output (see crosscheck.js). */
    public JsonNode run(JsonNode input, Path workDir) {
        try {
            Path in = workDir.resolve("cases.json");
            Path out = workDir.resolve("results.json");
            Files.write(in, Json.bytes(input));
            ProcessBuilder builder = new ProcessBuilder(node.toString(), script.toString(), in.toString(), out.toString())
                    .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(workDir.resolve("node.log").toFile());
            builder.environment().put("NODE_PATH", nodeModules.toString());
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("crosscheck.js did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("crosscheck.js exited " + process.exitValue() + ":\n"
                        + Files.readString(workDir.resolve("node.log")));
            }
            return Json.parse(Files.readAllBytes(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path cacheRoot() {
        String configured = System.getenv("ARBOR_NODE_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("arbor").resolve("node-peers");
    }

    private static String lockKey(Path lockFile) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(lockFile));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (Exception e) {
            throw new IllegalStateException("cannot hash " + lockFile, e);
        }
    }

    /** {@code npm ci} unless a finished install is there; a file lock serializes concurrent test JVMs. */
    private static void ensureInstalled(Path npm, Path sources, Path installDir) {
        try {
            Files.createDirectories(installDir);
            try (FileChannel channel = FileChannel.open(installDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.exists(installDir.resolve(".installed"))) {
                    return;
                }
                for (String file : List.of("package.json", "package-lock.json")) {
                    Files.copy(sources.resolve(file), installDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
                Path log = installDir.resolve("npm-ci.log");
                Process npmCi = new ProcessBuilder(npm.toString(), "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                        .directory(installDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!npmCi.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || npmCi.exitValue() != 0) {
                    npmCi.destroyForcibly();
                    throw new IllegalStateException("npm ci failed in " + installDir + ":\n" + Files.readString(log));
                }
                Files.writeString(installDir.resolve(".installed"), "npm ci done\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install pouchdb into " + installDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
