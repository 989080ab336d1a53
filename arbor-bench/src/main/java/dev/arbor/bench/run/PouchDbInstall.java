package dev.arbor.bench.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the Node side of the benchmark: copies bench.js (the PouchDB anchor), w10.js (the W10 HTTP
 * client) and their package.json (pinned versions: PouchDB, pouchdb-server, autocannon) from this
 * module's resources into a cache directory and runs {@code npm install} there once. Later runs
 * reuse the install as long as the package.json is unchanged.
 */
public final class PouchDbInstall {
    private static final String RESOURCES = "/dev/arbor/bench/pouchdb/";

    private PouchDbInstall() {}

    /** The directory holding bench.js and node_modules, installed if needed. Throws with the reason when Node or npm fails. */
    public static Path ensure(Path cacheRoot) {
        try {
            Path dir = cacheRoot.resolve("pouchdb");
            Files.createDirectories(dir);
            boolean manifestChanged = copy("package.json", dir);
            copy("bench.js", dir);
            copy("w10.js", dir);
            if (manifestChanged || !Files.isDirectory(dir.resolve("node_modules/pouchdb"))) {
                // --ignore-scripts: leveldown loads its prebuilt binary at run time; install scripts would
                // only try to build or download native code nothing here uses (pouchdb-server's optional sqlite3).
                run(dir, List.of("npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--omit=dev", "--ignore-scripts"),
                        Duration.ofMinutes(10));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the resource into {@code dir}; true when its content changed. */
    private static boolean copy(String name, Path dir) throws IOException {
        byte[] content;
        try (InputStream in = PouchDbInstall.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the classpath");
            }
            content = in.readAllBytes();
        }
        Path target = dir.resolve(name);
        if (Files.exists(target) && java.util.Arrays.equals(Files.readAllBytes(target), content)) {
            return false;
        }
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    private static void run(Path dir, List<String> command, Duration timeout) {
        try {
            Path log = dir.resolve("npm-install.log");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + "; see " + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + " (is Node.js installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
