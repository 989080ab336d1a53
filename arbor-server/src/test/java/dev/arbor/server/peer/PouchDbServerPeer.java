package dev.arbor.server.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * pouchdb-server (leveldb on disk, admin party) as a reference peer: the scenario scripts are run
 * against it too, so a check that fails against Arbor is known to be a check a CouchDB-compatible
 * server passes.
 */
public final class PouchDbServerPeer {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private PouchDbServerPeer() {}

    /** Starts pouchdb-server on a free loopback port with its data in {@code dataDir}; it stops when {@code peers} closes. */
    public static ServerUnderTest start(NodePeers peers, Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            int port = freeLoopbackPort();
            Process process = peers.start(dataDir, Map.of(),
                    peers.packageFile("pouchdb-server/bin/pouchdb-server").toString(),
                    "--host", "127.0.0.1", "--port", String.valueOf(port), "--dir", dataDir.toString(),
                    "--no-stdout-logs");
            String url = "http://127.0.0.1:" + port;
            awaitWelcome(process, url, dataDir);
            return new ServerUnderTest("pouchdb-server", url, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A port nobody listens on now. pouchdb-server cannot report a port it chose itself, so there is a
     * short window in which another process could take it; startup then fails visibly.
     */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitWelcome(Process process, String url, Path dir) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pouchdb-server exited " + process.exitValue() + ":\n"
                        + NodePeers.tail(dir.resolve("stderr.log"), 30) + NodePeers.tail(dir.resolve("stdout.log"), 30));
            }
            try {
                HttpResponse<String> welcome = client.send(HttpRequest.newBuilder(URI.create(url + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (welcome.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for pouchdb-server", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for pouchdb-server", e);
            }
        }
        throw new IllegalStateException("pouchdb-server did not answer GET / within " + STARTUP);
    }
}
