package dev.arbor.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache CouchDB 3.5 as a test peer, on 127.0.0.1 only, started through the {@code peers/couchdb}
 * script of the workplace's shared folder (found as {@code shared/peers/couchdb} in the project directory's
 * parent, or at {@code $ARBOR_COUCHDB_PEER}). A user's clone has no such folder: {@link #unavailableReason()}
 * then says why, and tests skip with that one line. Where the script exists, a CouchDB that fails to start
 * fails the test: CI has the peer and must run against it.
 *
 * <p>Each instance owns its data directory and port; several may run at once. {@link #close()} stops it.
 */
public final class CouchDbPeer implements AutoCloseable {
    public static final String ADMIN = "admin";
    public static final String PASSWORD = "secret";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path script;
    private final Path dir;
    private final int port;

    private CouchDbPeer(Path script, Path dir, int port) {
        this.script = script;
        this.dir = dir;
        this.port = port;
    }

    /** The peer script, when this machine has one. */
    public static Optional<Path> script() {
        String override = System.getenv("ARBOR_COUCHDB_PEER");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            return Files.isExecutable(p) || Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("peers").resolve("couchdb");
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static boolean available() {
        return script().isPresent();
    }

    /** The one line a skipped test prints. */
    public static String unavailableReason() {
        return "skipped: no real CouchDB peer here (../shared/peers/couchdb is absent, as in a user's clone; "
                + "set ARBOR_COUCHDB_PEER to the script to run these tests)";
    }

    /** Starts a CouchDB with admin {@value #ADMIN}:{@value #PASSWORD} and its files in {@code dir}. */
    public static CouchDbPeer start(Path dir) {
        Path script = script().orElseThrow(() -> new IllegalStateException(unavailableReason()));
        try {
            Files.createDirectories(dir);
            int port = freeLoopbackPort();
            Process p = new ProcessBuilder("bash", script.toString(), "start", dir.toString(), String.valueOf(port),
                    ADMIN + ":" + PASSWORD)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("start.log").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("couchdb peer did not start within 120 s; see " + dir.resolve("start.log"));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("couchdb peer failed to start (exit " + p.exitValue() + "):\n"
                        + Files.readString(dir.resolve("start.log")));
            }
            CouchDbPeer peer = new CouchDbPeer(script, dir, port);
            Runtime.getRuntime().addShutdownHook(new Thread(peer::stopQuietly, "couchdb-peer-stop"));
            peer.awaitSystemDatabases();
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the couchdb peer", e);
        }
    }

    /**
     * A single node creates {@code _users} and {@code _replicator} just after it starts answering: a test's first
     * request to them must not race that, however slowly a busy machine runs it.
     */
    private void awaitSystemDatabases() throws InterruptedException {
        for (String db : new String[] {"/_users", "/_replicator"}) {
            try {
                Eventually.until(Duration.ofSeconds(120), () -> "the couchdb peer never created " + db + "; see "
                        + dir.resolve("couchdb.log"), () -> request("GET", db, null).status() == 200);
            } catch (InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, without credentials. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code http://admin:secret@127.0.0.1:PORT}: the form a replication document names a peer in. */
    public String adminUrl() {
        return "http://" + ADMIN + ":" + PASSWORD + "@127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    /** One request as the admin; {@code body} may be null. */
    public Response request(String method, String path, String body) {
        return request(method, path, body, true);
    }

    /** One request, as the admin or anonymously; JSON body when {@code body} is given. */
    public Response request(String method, String path, String body, boolean asAdmin) {
        return send(url(), method, path, body, asAdmin ? basicAuth(ADMIN, PASSWORD) : Map.of());
    }

    /**
     * One request to any server on loopback, the way these tests send the same request to CouchDB and to
     * Arbor: a JSON body when {@code body} is given, and exactly {@code headers} besides.
     */
    public static Response send(String baseUrl, String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::setHeader); // a given Content-Type replaces the JSON default
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code Basic} credentials for {@code name:password}, as a header map for {@link #send}. */
    public static Map<String, String> basicAuth(String name, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A status and a body. */
    public record Response(int status, String body) {}

    /** The tail of CouchDB's own log, for a failure message. */
    public String logTail(int lines) {
        return tail(dir.resolve("couchdb.log"), lines);
    }

    @Override
    public void close() {
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            Process p = new ProcessBuilder("bash", script.toString(), "stop", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // already stopped or the script vanished; nothing left to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file, int lines) {
        try {
            var all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log at " + file + ")";
        }
    }
}
