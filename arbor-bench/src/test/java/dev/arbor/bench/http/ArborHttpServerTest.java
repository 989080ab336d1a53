package dev.arbor.bench.http;

import dev.arbor.server.ArborServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** arbor-http as W10 runs it: Arbor's server with its admin, refusing anonymous writes, serving what the admin writes. */
class ArborHttpServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String basic = "Basic " + Base64.getEncoder().encodeToString(
            (HttpServerMain.ARBOR_USER + ":" + HttpServerMain.ARBOR_PASSWORD).getBytes(StandardCharsets.UTF_8));

    private int send(String method, URI uri, String body, boolean asAdmin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (asAdmin) {
            request.header("Authorization", basic);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theAdminWritesAndReadsWhileAnonymousRequestsAreRefused(@TempDir Path dir) throws Exception {
        try (ArborServer server = HttpServerMain.startArbor(dir)) {
            URI db = server.uri().resolve("w10");
            assertEquals(401, send("PUT", db, null, false));
            assertEquals(201, send("PUT", db, null, true));
            assertEquals(201, send("PUT", server.uri().resolve("w10/doc"), "{\"n\":1}", true));
            assertEquals(200, send("GET", server.uri().resolve("w10/doc"), null, true));
            assertEquals(401, send("GET", server.uri().resolve("w10/doc"), null, false));
        }
    }
}
