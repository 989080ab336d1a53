package dev.arbor.server.tls;

import dev.arbor.Arbor;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A certificate obtained by ACME from a real authority: Let's Encrypt's test server pebble (Debian's {@code pebble}
 * package) on 127.0.0.1, validating the HTTP-01 challenge against the server's responder. Skipped, saying so, where
 * pebble is not installed.
 */
class AcmeWithPebbleTest {
    @TempDir
    Path dir;
    private Process pebble;
    private final List<ArborServer> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        servers.forEach(ArborServer::close);
        if (pebble != null) {
            pebble.destroy();
            pebble.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Pebble listening: its directory URL as the server is told it, and what a client needs to trust what it issues. */
    private record Pebble(ServerConfig.Acme acme, Path listenerCert, int managementPort) {
        X509Certificate root() throws Exception {
            return pebbleRoot(managementPort, listenerCert);
        }
    }

    private Pebble startPebble() throws Exception {
        Path binary = onPath("pebble");
        Assumptions.assumeTrue(binary != null, "pebble is not installed (apt-get install pebble): ACME issuance not tested");
        ServerCertificate pebbleTls = ServerCertificate.selfSigned("localhost");
        Path pebbleCert = dir.resolve("pebble-cert.pem");
        pebbleTls.writePem(pebbleCert, dir.resolve("pebble-key.pem"));
        int acmePort = freePort();
        int managementPort = freePort();
        int challengePort = freePort();
        Files.writeString(dir.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                            "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                            "ocspResponderURL": "", "externalAccountBindingRequired": false}}"""
                .formatted(acmePort, managementPort, pebbleCert, dir.resolve("pebble-key.pem"), challengePort, freePort()));
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-config", dir.resolve("pebble.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("pebble.log").toFile());
        builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
        pebble = builder.start();
        awaitListening(acmePort);
        return new Pebble(new ServerConfig.Acme(URI.create("https://127.0.0.1:" + acmePort + "/dir"), null, pebbleCert, challengePort),
                pebbleCert, managementPort);
    }

    @Test
    void theServerObtainsItsCertificateFromAnAcmeAuthorityAndKeepsIt() throws Exception {
        Pebble authority = startPebble();
        ServerConfig.Acme acme = authority.acme();
        ArborServer server = start(ServerConfig.Tls.acme("localhost", acme));
        ServerTls tls = server.tls().orElseThrow();
        assertTrue(tls.generated(), "issued at this start");
        X509Certificate issued = tls.certificate().certificate();
        assertNotEquals(issued.getSubjectX500Principal(), issued.getIssuerX500Principal(), "issued by the authority, not self-signed");

        // A client that trusts the authority's root reaches the server by name, with host name verification.
        X509Certificate root = authority.root();
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(root)).build();
        HttpResponse<String> welcome = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, welcome.statusCode(), Files.readString(dir.resolve("pebble.log")));
        assertTrue(welcome.body().contains("couchdb"), welcome.body());

        server.close();
        servers.clear();
        ArborServer again = start(ServerConfig.Tls.acme("localhost", acme));
        assertFalse(again.tls().orElseThrow().generated(), "the issued certificate is kept while it is far from its end");
        assertEquals(tls.certificate().fingerprint(), again.tls().orElseThrow().certificate().fingerprint());
    }

    @Test
    void aRunningServerRenewsItsCertificateAndNewHandshakesGetTheNewOneWithoutARestart() throws Exception {
        Pebble authority = startPebble();
        // A renewal window longer than pebble's certificates last makes every check (each second here) find the
        // certificate due, as a real one is 30 days before its end.
        ServerConfig.Acme acme = authority.acme().withRenewal(Duration.ofDays(365L * 100), Duration.ofSeconds(1));
        ArborServer server = start(ServerConfig.Tls.acme("localhost", acme));
        X509Certificate root = authority.root();
        SSLSocket openBefore = handshake(root, server.port());
        BigInteger first = served(openBefore).getSerialNumber();

        BigInteger renewed = first;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (renewed.equals(first) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            try (SSLSocket fresh = handshake(root, server.port())) {
                renewed = served(fresh).getSerialNumber();
            }
        }
        assertNotEquals(first, renewed, "a new handshake presents a renewed certificate: " + Files.readString(dir.resolve("pebble.log")));

        // The same server, never restarted: its new connections are verified against the authority by name, and a
        // connection opened before the renewal goes on with the session it has.
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(root)).build();
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        try (openBefore) {
            openBefore.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            openBefore.getOutputStream().flush();
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(openBefore.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 200 OK", statusLine);
        }

        server.close();
        servers.clear();
        Path kept = dir.resolve("data").resolve(ServerTls.DIRECTORY);
        ServerCertificate onDisk = ServerCertificate.fromPem(kept.resolve("acme.crt"), kept.resolve("acme.key"));
        assertTrue(onDisk.keyMatches(), "the kept certificate and key are a pair after renewals");
        assertNotEquals(first, onDisk.certificate().getSerialNumber(), "a restart would serve a renewed certificate");
    }

    /** A full handshake (a context of its own, so no session of an earlier probe is resumed), verifying the name. */
    private static SSLSocket handshake(X509Certificate root, int port) throws Exception {
        SSLSocket socket = (SSLSocket) trusting(root).getSocketFactory().createSocket("localhost", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return socket;
    }

    private static X509Certificate served(SSLSocket socket) throws Exception {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    private ArborServer start(ServerConfig.Tls tls) throws Exception {
        Path data = dir.resolve("data");
        ArborServer server = ArborServer.builder(ServerConfig.defaults(data).withPort(0).withAccessLog(false).withTls(tls),
                Arbor.storage(data)).start();
        servers.add(server);
        return server;
    }

    /** Pebble makes a new root at each start and serves it on its management port. */
    private static X509Certificate pebbleRoot(int managementPort, Path pebbleCert) throws Exception {
        X509Certificate listener = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(pebbleCert));
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(listener)).build();
        String pem = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + managementPort + "/roots/0")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("trusted", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("pebble did not listen on " + port + " within 60 s");
                }
                Thread.sleep(50);
            }
        }
    }

    private static Path onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
