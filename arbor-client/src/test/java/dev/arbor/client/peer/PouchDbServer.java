package dev.arbor.client.peer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real pouchdb-server (npm), in memory, on 127.0.0.1 and a free port, for tests to talk to. The npm
 * package is installed once into a cache directory ({@code ~/.cache/arbor-client-test}, or the system
 * property {@code arbor.client.test.cache}) and reused by later runs.
 */
public final class PouchDbServer implements AutoCloseable {
    /** The version the findings in the report were made with. */
    public static final String PACKAGE = "pouchdb-server@4.2.0";

    private final Process process;
    private final URI url;

    private PouchDbServer(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /** Installs pouchdb-server when the cache lacks it, starts it, and waits until it answers. */
    public static PouchDbServer start(Path workDir) throws IOException, InterruptedException {
        Path executable = install();
        int port = freePort();
        Files.createDirectories(workDir);
        // -m: in memory; -n: no log to stdout. It writes config.json and log.txt in its working directory.
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-m", "-n", "-o", "127.0.0.1", "-p", Integer.toString(port))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("stdout.log").toFile());
        Process process = builder.start();
        URI url = URI.create("http://127.0.0.1:" + port + "/");
        PouchDbServer server = new PouchDbServer(process, url);
        try {
            server.awaitReady(workDir);
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public URI url() {
        return url;
    }

    private void awaitReady(Path workDir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (HttpClient client = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("pouchdb-server exited with " + process.exitValue() + ": "
                            + Files.readString(workDir.resolve("stdout.log")));
                }
                try {
                    HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) return;
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("pouchdb-server did not answer on " + url + " within 60 s");
    }

    private static Path install() throws IOException, InterruptedException {
        Path cache = Path.of(System.getProperty("arbor.client.test.cache",
                System.getProperty("user.home") + "/.cache/arbor-client-test"));
        Path executable = cache.resolve("node_modules/.bin/pouchdb-server");
        if (Files.isExecutable(executable)) {
            return executable;
        }
        Files.createDirectories(cache);
        Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", PACKAGE))
                .directory(cache.toFile())
                .redirectErrorStream(true)
                .redirectOutput(cache.resolve("npm-install.log").toFile())
                .start();
        if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install " + PACKAGE + " failed; see " + cache.resolve("npm-install.log"));
        }
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("npm installed " + PACKAGE + " but " + executable + " is missing");
        }
        return executable;
    }

    private static int freePort() throws IOException {
        // A small race with other processes remains between closing this socket and the server binding;
        // pouchdb-server cannot be given port 0 (it reads 0 as "use the default, 5984").
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
