package dev.arbor.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;

import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One request to the server, relative to its root: method, encoded path and query, extra headers,
 * and a body. A body is replayable when it can be sent twice (bytes in memory); a streamed body can
 * not, which decides whether a request may be retried after a fresh login.
 */
public record CouchRequest(String method, String path, String query, Map<String, String> headers,
                           BodyPublisher body, boolean replayable) {

    public static CouchRequest of(String method, String path) {
        return new CouchRequest(method, path, "", Map.of(), BodyPublishers.noBody(), true);
    }

    public static CouchRequest get(String path) { return of("GET", path); }
    public static CouchRequest head(String path) { return of("HEAD", path); }
    public static CouchRequest delete(String path) { return of("DELETE", path); }

    public CouchRequest query(Query value) {
        return new CouchRequest(method, path, value.toString(), headers, body, replayable);
    }

    public CouchRequest header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new CouchRequest(method, path, query, Map.copyOf(copy), body, replayable);
    }

    /** A JSON body, serialised once and replayable. */
    public CouchRequest json(JsonNode value) {
        return new CouchRequest(method, path, query, headers, BodyPublishers.ofByteArray(Json.bytes(value)), true)
                .header("Content-Type", "application/json");
    }

    /** A body streamed from {@code data} as it is sent (chunked, as its length is not known up front). */
    public CouchRequest stream(String contentType, Supplier<InputStream> data) {
        return new CouchRequest(method, path, query, headers, BodyPublishers.ofInputStream(data), false)
                .header("Content-Type", contentType);
    }

    public String target() {
        return path + query;
    }
}
