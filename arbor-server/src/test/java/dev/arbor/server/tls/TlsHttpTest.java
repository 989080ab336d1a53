package dev.arbor.server.tls;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.server.peer.NodePeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS on the server's port: a self-signed certificate installed on first start and kept, or one read from PEM
 * files; clients trust it by pin (the Java client) or as a file (curl); an unpinned or wrongly pinned client, and
 * plain HTTP, get nothing.
 */
class TlsHttpTest {
    @TempDir
    Path dir;
    private final List<ArborServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ArborServer::close);
    }

    private ArborServer start(ServerConfig.Tls tls) throws Exception {
        Storage storage = Arbor.storage(dir.resolve("data"));
        ArborServer server = ArborServer.builder(ServerConfig.defaults(dir.resolve("data")).withPort(0).withAccessLog(false)
                .withTls(tls), storage).start();
        servers.add(server);
        return server;
    }

    private static RemoteStorage pinnedClient(ArborServer server, String pin) {
        return new RemoteStorage(server.uri(), RemoteOptions.DEFAULT.pinnedCertificate(pin));
    }

    @Test
    void aSelfSignedCertificateIsMadeOnFirstStartKeptAfterAndTrustedByItsPin() throws Exception {
        ArborServer first = start(ServerConfig.Tls.selfSigned("arbor.test"));
        ServerTls tls = first.tls().orElseThrow();
        assertTrue(tls.generated());
        assertEquals("https", first.uri().getScheme());
        String fingerprint = tls.certificate().fingerprint();
        assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);

        try (RemoteStorage client = pinnedClient(first, fingerprint)) {
            client.createDatabase("db").put(Json.parseObject("{\"_id\":\"a\",\"n\":1}"));
            assertEquals(1, client.database("db").get("a").path("n").asInt());
        }
        first.close();
        servers.clear();

        ArborServer again = start(ServerConfig.Tls.selfSigned("arbor.test"));
        assertFalse(again.tls().orElseThrow().generated(), "the installed certificate is kept");
        assertEquals(fingerprint, again.tls().orElseThrow().certificate().fingerprint());
        try (RemoteStorage client = pinnedClient(again, fingerprint.replace(":", "").toLowerCase())) {
            assertEquals(1, client.database("db").get("a").path("n").asInt(), "the pin may be written without colons");
        }
    }

    @Test
    void theServersReplicatorPullsFromAPinnedHttpsPeerAndRefusesItUnpinned() throws Exception {
        ArborServer secure = start(ServerConfig.Tls.selfSigned("localhost"));
        String fingerprint = secure.tls().orElseThrow().certificate().fingerprint();
        try (RemoteStorage client = pinnedClient(secure, fingerprint)) {
            client.createDatabase("db").put(Json.parseObject("{\"_id\":\"a\",\"n\":1}"));
        }
        Path plainData = dir.resolve("plain");
        ArborServer plain = ArborServer.builder(ServerConfig.defaults(plainData).withPort(0).withAccessLog(false),
                Arbor.storage(plainData)).start();
        servers.add(plain);
        String url = secure.uri() + "db";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> pinned = http.send(HttpRequest.newBuilder(plain.uri().resolve("_replicate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"source\":{\"url\":\"" + url + "\",\"pinned_certificate\":\""
                        + fingerprint + "\"},\"target\":\"copy\",\"create_target\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, pinned.statusCode(), pinned.body());
        HttpResponse<String> copied = http.send(HttpRequest.newBuilder(plain.uri().resolve("copy/a")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, copied.statusCode(), copied.body());

        HttpResponse<String> unpinned = http.send(HttpRequest.newBuilder(plain.uri().resolve("_replicate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"" + url + "\",\"target\":\"copy2\","
                        + "\"create_target\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(unpinned.statusCode() >= 400, "an untrusted certificate stops the replication: " + unpinned.body());
    }

    @Test
    void anUnpinnedOrWronglyPinnedClientIsRefused() throws Exception {
        ArborServer server = start(ServerConfig.Tls.selfSigned("localhost"));
        HttpClient jdkDefaults = HttpClient.newHttpClient();
        assertThrows(SSLHandshakeException.class, () -> jdkDefaults.send(HttpRequest.newBuilder(server.uri()).build(),
                HttpResponse.BodyHandlers.ofString()), "a self-signed certificate is no authority's");

        String wrong = ServerCertificate.selfSigned("localhost").fingerprint();
        try (RemoteStorage client = pinnedClient(server, wrong)) {
            ArborException refused = assertThrows(ArborException.class, client::listDatabases);
            assertTrue(refused.getMessage().contains("not the pinned") || String.valueOf(refused.getCause()).contains("SSL"),
                    refused.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> pinnedClient(server, "not-a-fingerprint"));
    }

    @Test
    void plainHttpOnTheTlsPortGetsNoAnswer() throws Exception {
        ArborServer server = start(ServerConfig.Tls.selfSigned("localhost"));
        URI plain = URI.create("http://127.0.0.1:" + server.port() + "/");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertNotEquals(200, response.statusCode(), "plain HTTP must not reach the database API");
            assertFalse(response.body().contains("couchdb"), response.body());
        } catch (IOException refused) {
            // the TLS connector closes the connection: no plaintext answer at all
        }
    }

    @Test
    void pouchDbTrustsTheCertificateAsNodeTrustsAPrivateAuthority() throws Exception {
        ArborServer server = start(ServerConfig.Tls.selfSigned("localhost"));
        Path certFile = server.tls().orElseThrow().certFile();
        try (NodePeers peers = NodePeers.install()) {
            assertEquals("ok", runPouchDb(peers, server, Map.of("NODE_EXTRA_CA_CERTS", certFile.toString()), "trusted"));
            String untrusted = runPouchDb(peers, server, Map.of(), "untrusted");
            assertTrue(untrusted.startsWith("failed") && untrusted.toUpperCase(java.util.Locale.ROOT).contains("CERT"),
                    "refused for its certificate: " + untrusted);
        }
    }

    private String runPouchDb(NodePeers peers, ArborServer server, Map<String, String> extraEnv, String run) throws Exception {
        Path work = java.nio.file.Files.createDirectories(dir.resolve("pouchdb-" + run));
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("PEER_SERVER_URL", server.uri().toString().replaceAll("/$", ""));
        Process node = peers.start(work, env, NodePeers.scriptsDir().resolve("pouchdb-tls.js").toString());
        assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the script finished");
        String out = java.nio.file.Files.readString(work.resolve("stdout.log")).strip();
        String err = java.nio.file.Files.readString(work.resolve("stderr.log")).strip();
        return node.exitValue() == 0 ? out : err;
    }

    @Test
    void aCertificateFromPemFilesIsServedAndCurlTrustsItAsAFile() throws Exception {
        ServerCertificate made = ServerCertificate.selfSigned("127.0.0.1");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        made.writePem(cert, key);
        ArborServer server = start(ServerConfig.Tls.fromPem(cert, key));
        ServerTls tls = server.tls().orElseThrow();
        assertFalse(tls.generated());
        assertEquals(made.fingerprint(), tls.certificate().fingerprint());

        Process curl = new ProcessBuilder("curl", "-sS", "--cacert", cert.toString(), "--tlsv1.2",
                "-w", "\n%{http_code} %{ssl_verify_result}", server.uri().toString()).redirectErrorStream(true).start();
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS), "curl finished");
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.exitValue(), output);
        assertTrue(output.contains("\"couchdb\"") && output.strip().endsWith("200 0"), output);

        Process old = new ProcessBuilder("curl", "-sS", "--cacert", cert.toString(), "--tls-max", "1.1",
                server.uri().toString()).redirectErrorStream(true).start();
        assertTrue(old.waitFor(60, TimeUnit.SECONDS), "curl finished");
        assertNotEquals(0, old.exitValue(), "TLS 1.1 and older are refused");
    }
}
