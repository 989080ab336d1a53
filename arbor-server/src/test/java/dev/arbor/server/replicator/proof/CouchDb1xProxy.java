package dev.arbor.server.replicator.proof;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy that makes a real server look like CouchDB 1.x to a replicator: {@code POST
 * /{db}/_bulk_get} is answered as CouchDB 1.6 answers it (the path reads as a document id, and document ids
 * may not start with an underscore: 400), everything else is forwarded as it is. It counts what passes, so a
 * test can see which way documents were fetched.
 *
 * <p>Threads: the JDK server's handler threads (a small pool) forward concurrently; the counters are atomic.
 */
final class CouchDb1xProxy implements AutoCloseable {
    /** Request headers the JDK client sets itself (or refuses to set). */
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI origin;
    final AtomicInteger bulkGetRefusals = new AtomicInteger();
    final AtomicInteger openRevsReads = new AtomicInteger();
    final AtomicInteger multipartAnswers = new AtomicInteger();

    CouchDb1xProxy(URI origin) throws IOException {
        this.origin = origin;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (exchange.getRequestMethod().equals("POST") && path.endsWith("/_bulk_get")) {
                bulkGetRefusals.incrementAndGet();
                send(exchange, 400, "application/json",
                        "{\"error\":\"bad_request\",\"reason\":\"Only reserved document ids may start with underscore.\"}"
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.contains("open_revs=")) {
                openRevsReads.incrementAndGet();
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(origin + path.substring(1) + (query == null ? "" : "?" + query)))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase())) {
                    values.forEach(value -> forward.header(name, value));
                }
            });
            HttpResponse<byte[]> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = answer.headers().firstValue("Content-Type").orElse("application/json");
            if (type.startsWith("multipart/mixed")) {
                multipartAnswers.incrementAndGet();
            }
            send(exchange, answer.statusCode(), type, answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().put("Content-Type", List.of(type));
        boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        client.close();
    }
}
