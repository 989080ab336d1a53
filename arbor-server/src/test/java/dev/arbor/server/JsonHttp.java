package dev.arbor.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** JSON requests to a test server over real HTTP, and CouchDB-shaped assertions on what comes back. */
public final class JsonHttp {
    public static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private JsonHttp() {}

    /** {@code method path} with {@code json} as the body ({@code Content-Type: application/json}), or none when null. */
    public static HttpResponse<String> send(ArborServer server, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(WAIT)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A 200 with a JSON body, parsed. */
    public static JsonNode ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        return Json.parse(response.body());
    }

    /**
     * CouchDB's error answer: this status and exactly {@code {"error", "reason"}}; with a null {@code reason}
     * only the status and the error token are checked.
     */
    public static void assertError(HttpResponse<String> response, int status, String error, String reason) {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = Json.parse(response.body());
        if (reason == null) {
            assertEquals(error, body.path("error").asText(), response.body());
        } else {
            assertEquals(Json.object().put("error", error).put("reason", reason), body, response.body());
        }
    }
}
