package dev.arbor.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a browser PouchDB needs (CORS) and what a client asking for compression gets (gzip), over real HTTP. */
class CorsAndGzipTest {

    @Test
    void aConfiguredOriginGetsCorsHeadersOnPreflightAndRequestsAndOthersGetNone(@TempDir Path dir) throws Exception {
        ServerConfig config = ServerConfig.defaults(dir).withPort(0).withAccessLog(false)
                .withCors(new ServerConfig.Cors(true, Set.of("http://app.example"), true));
        try (TestServer server = TestServer.start(config)) {
            HttpResponse<String> preflight = server.client().send(HttpRequest.newBuilder(server.uri("/db/doc"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "http://app.example")
                    .header("Access-Control-Request-Method", "PUT")
                    .header("Access-Control-Request-Headers", "content-type")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("http://app.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("PUT"),
                    preflight.headers().map().toString());
            assertEquals("true", preflight.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));

            HttpResponse<String> get = server.client().send(HttpRequest.newBuilder(server.uri("/"))
                    .header("Origin", "http://app.example").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get.statusCode());
            assertEquals("http://app.example", get.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

            HttpResponse<String> stranger = server.client().send(HttpRequest.newBuilder(server.uri("/"))
                    .header("Origin", "http://elsewhere.example").build(), HttpResponse.BodyHandlers.ofString());
            assertNull(stranger.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        }
    }

    @Test
    void withoutCorsConfiguredNoOriginIsAllowed(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> get = server.client().send(HttpRequest.newBuilder(server.uri("/"))
                    .header("Origin", "http://app.example").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get.statusCode());
            assertNull(get.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        }
    }

    @Test
    void aClientThatAcceptsGzipGetsALargeJsonResponseCompressedAndIdenticalWhenInflated(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            var db = server.storage().createDatabase("db");
            for (int i = 0; i < 200; i++) {
                db.put(dev.arbor.core.json.Json.parseObject("{\"_id\":\"d" + i + "\",\"text\":\"" + "words ".repeat(20) + "\"}"));
            }
            String path = "/db/_all_docs?include_docs=true";
            HttpResponse<String> plain = server.client().send(HttpRequest.newBuilder(server.uri(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<byte[]> zipped = server.client().send(HttpRequest.newBuilder(server.uri(path))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());

            assertNull(plain.headers().firstValue("Content-Encoding").orElse(null));
            assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(null));
            byte[] inflated = new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes();
            assertEquals(plain.body(), new String(inflated, StandardCharsets.UTF_8));
            assertTrue(zipped.body().length * 3 < inflated.length, "compressed " + zipped.body().length + " of " + inflated.length);
        }
    }
}
