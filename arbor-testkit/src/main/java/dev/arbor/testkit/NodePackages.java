package dev.arbor.testkit;

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
 * Node packages pinned by a lock file, for tests that compare Arbor with PouchDB: the {@code package.json} and
 * {@code package-lock.json} of a test folder are installed with {@code npm ci} once per version of the lock
 * file, into {@code <cache>/<name>-<first 16 hex digits of the lock's SHA-256>}, where the cache is
 * {@code $ARBOR_NODE_CACHE}, else {@code $XDG_CACHE_HOME/arbor/node-peers}, else {@code ~/.cache/arbor/node-peers}.
 * A file lock serializes test JVMs installing the same packages at once; a finished install is marked so a
 * half-finished one is redone.
 */
public final class NodePackages {
    private static final long TIMEOUT_SECONDS = 600;

    private final Path node;
    private final Path sources;
    private final Path nodeModules;

    private NodePackages(Path node, Path sources, Path nodeModules) {
        this.node = node;
        this.sources = sources;
        this.nodeModules = nodeModules;
    }

    /** Installs (if needed) the packages of {@code sources} under the cache name {@code name}. Needs node and npm on PATH. */
    public static NodePackages install(Path sources, String name) {
        Path node = onPath("node").orElseThrow(() -> new IllegalStateException("this test needs Node.js on PATH"));
        Path npm = onPath("npm").orElseThrow(() -> new IllegalStateException("this test needs npm on PATH"));
        Path installDir = cacheRoot().resolve(name + "-" + lockKey(sources.resolve("package-lock.json")));
        ensureInstalled(npm, sources, installDir);
        return new NodePackages(node, sources, installDir.resolve("node_modules"));
    }

    /**
     * Runs {@code script} (a file in the sources folder) as {@code node script <in> <out>} with the installed
     * packages on {@code NODE_PATH}: {@code input} is written to {@code workDir/cases.json} and what the script
     * wrote to {@code workDir/results.json} is returned. A non-zero exit fails with the script's output.
     */
    public byte[] run(String script, byte[] input, Path workDir) {
        try {
            Path in = workDir.resolve("cases.json");
            Path out = workDir.resolve("results.json");
            Path log = workDir.resolve("node.log");
            Files.write(in, input);
            ProcessBuilder builder = new ProcessBuilder(node.toString(), sources.resolve(script).toString(), in.toString(), out.toString())
                    .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("NODE_PATH", nodeModules.toString());
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " exited " + process.exitValue() + ":\n" + Files.readString(log));
            }
            return Files.readAllBytes(out);
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
            throw new UncheckedIOException("cannot install the Node packages of " + sources + " into " + installDir, e);
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
