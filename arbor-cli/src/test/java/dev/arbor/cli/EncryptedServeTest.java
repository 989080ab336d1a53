package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ARBOR_ENCRYPTION_PASSPHRASE=… arbor serve}: the server stores only ciphertext, a server admin rotates a key
 * while it serves, and a start without the passphrase or with another refuses with a clear error.
 */
class EncryptedServeTest {
    private static final String MARKER = "SERVEDPLAINTEXTxq7";
    private static final Map<String, String> ENV = Map.of("ARBOR_ADMIN", "admin:secret",
            "ARBOR_ENCRYPTION_PASSPHRASE", "correct horse battery staple");

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void anEncryptedServerServesRotatesAKeyWhileRunningAndRefusesToStartWithoutItsPassphrase() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");
        try (ServeProcess server = ServeProcess.start(data, ENV)) {
            URI uri = server.uri();
            assertTrue(server.output().contains("at rest: AES-256-GCM, master key from the passphrase"), server.output());
            assertEquals(201, send(uri, "PUT", "/news", null, true).statusCode());
            assertEquals(201, send(uri, "PUT", "/news/today", "{\"title\":\"" + MARKER + "\"}", true).statusCode());

            JsonNode keys = Json.parse(send(uri, "GET", "/_encryption", null, true).body());
            assertEquals("default", keys.path("databases").path("news").asText(), keys.toString());
            assertEquals(401, send(uri, "POST", "/_encryption/default/_rotate", "", false).statusCode(),
                    "only server admins rotate keys");
            assertEquals(202, send(uri, "POST", "/_encryption/default/_rotate", "", true).statusCode());
            JsonNode rotation = keys;
            for (int i = 0; i < 600 && !rotation.path("state").asText().equals("done"); i++) {
                Thread.sleep(100);
                rotation = Json.parse(send(uri, "GET", "/_encryption", null, true).body()).path("rotations").path("default");
            }
            assertEquals("done", rotation.path("state").asText(), rotation.toString());
            assertEquals(1, rotation.path("retired").path(0).asInt(), rotation.toString());
            HttpResponse<String> doc = send(uri, "GET", "/news/today", null, true);
            assertTrue(doc.body().contains(MARKER), doc.body());
        }
        assertFalse(anyFileContains(data, MARKER), "no file under the data directory holds the document in plaintext");

        var withoutKey = ServeProcess.refusal(data, Map.of("ARBOR_ADMIN", "admin:secret"));
        assertNotEquals(0, withoutKey.exitCode());
        assertTrue(withoutKey.stderr().contains("encryption_key_missing"), withoutKey.stderr());
        var wrongKey = ServeProcess.refusal(data, Map.of("ARBOR_ADMIN", "admin:secret",
                "ARBOR_ENCRYPTION_PASSPHRASE", "another passphrase"));
        assertNotEquals(0, wrongKey.exitCode());
        assertTrue(wrongKey.stderr().contains("encryption_key_wrong"), wrongKey.stderr());

        try (ServeProcess again = ServeProcess.start(data, ENV)) {
            assertTrue(send(again.uri(), "GET", "/news/today", null, true).body().contains(MARKER));
        }
    }

    private HttpResponse<String> send(URI server, String method, String path, String body, boolean asAdmin)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (asAdmin) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    "admin:secret".getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean anyFileContains(Path dir, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (content.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
