package dev.arbor.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server on 127.0.0.1 with an ephemeral port and a RocksDB storage in a temp directory, and a
 * real HTTP client to talk to it. Tests call {@link #request} and read status, headers and JSON.
 */
public final class TestServer implements AutoCloseable {
    private final ArborServer server;
    private final Storage storage;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(ArborServer server, Storage storage) {
        this.server = server;
        this.storage = storage;
    }

    public static TestServer start(Path dataDir) throws Exception {
        return start(ServerConfig.defaults(dataDir).withPort(0).withAccessLog(false));
    }

    /** A server whose storage enforces {@link ServerConfig#documentLimits()}, as {@code arbor serve} opens it. */
    public static TestServer start(ServerConfig config) throws Exception {
        Storage storage = Arbor.storage(config.dataDir(), dev.arbor.ArborOptions.DEFAULT.limits(new dev.arbor.options.WriteLimits(
                config.documentLimits().maxDocumentSize(), config.documentLimits().maxAttachmentSize())));
        return new TestServer(ArborServer.builder(config, storage).start(), storage);
    }

    /** The storage the server serves, for setting up and checking state without HTTP (the server owns and closes it). */
    public Storage storage() {
        return storage;
    }

    public ArborServer server() {
        return server;
    }

    public URI uri(String path) {
        return server.uri().resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** A response with its body read as text and, when it is JSON, parsed. */
    public record Reply(int status, java.net.http.HttpHeaders headers, String text) {
        public JsonNode json() {
            return Json.parse(text);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Reply request(String method, String path) throws Exception {
        return request(method, path, null);
    }

    /** A JSON body is sent with {@code Content-Type: application/json}. */
    public Reply request(String method, String path, String jsonBody, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (jsonBody != null) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
        }
        builder.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody));
        return send(builder.build());
    }

    public Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers(), response.body());
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        server.close();
    }
}
