package dev.arbor.bench.http;

import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * arbor-http and arbor-https as W10 runs them: Arbor's server with its admin, refusing anonymous writes, serving what
 * the admin writes; over HTTPS to a client that trusts nothing but the certificate the server made.
 */
class ArborHttpServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String basic = "Basic " + Base64.getEncoder().encodeToString(
            (HttpServerMain.ARBOR_USER + ":" + HttpServerMain.ARBOR_PASSWORD).getBytes(StandardCharsets.UTF_8));

    private int send(String method, URI uri, String body, boolean asAdmin) throws Exception {
        return send(http, method, uri, body, asAdmin);
    }

    private int send(HttpClient http, String method, URI uri, String body, boolean asAdmin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (asAdmin) {
            request.header("Authorization", basic);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theAdminWritesAndReadsWhileAnonymousRequestsAreRefused(@TempDir Path dir) throws Exception {
        try (ArborServer server = HttpServerMain.startArbor(dir, ServerConfig.Tls.OFF)) {
            URI db = server.uri().resolve("w10");
            assertEquals(401, send("PUT", db, null, false));
            assertEquals(201, send("PUT", db, null, true));
            assertEquals(201, send("PUT", server.uri().resolve("w10/doc"), "{\"n\":1}", true));
            assertEquals(200, send("GET", server.uri().resolve("w10/doc"), null, true));
            assertEquals(401, send("GET", server.uri().resolve("w10/doc"), null, false));
        }
    }

    @Test
    void overHttpsAClientTrustingOnlyTheMadeCertificateReadsWhatTheAdminWrote(@TempDir Path dir) throws Exception {
        try (ArborServer server = HttpServerMain.startArbor(dir, ServerConfig.Tls.selfSigned(ServerConfig.Tls.DEFAULT_SERVER_NAME))) {
            assertEquals("https", server.uri().getScheme());
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(server.tls().orElseThrow().certFile())).build();
            URI db = server.uri().resolve("w10");
            assertEquals(201, send(https, "PUT", db, null, true));
            assertEquals(201, send(https, "PUT", server.uri().resolve("w10/doc"), "{\"n\":1}", true));
            assertEquals(200, send(https, "GET", server.uri().resolve("w10/doc"), null, true));
        }
    }

    private static SSLContext trusting(Path certificatePem) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
