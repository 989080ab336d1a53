package dev.arbor.bench.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP ceiling of W10: Jetty 12.1 on virtual threads, as Arbor's server is built, with a handler
 * that keeps each document's request bytes in memory and serves them back. No revision tree, no
 * hashing, no storage, no durability: whatever Arbor's server does beyond this is what its figures pay for.
 *
 * <p>It answers just the calls W10 makes: {@code PUT/DELETE /db}, {@code PUT/GET /db/id},
 * {@code POST /db/_bulk_docs} (parsed, since each doc needs its own reply row) and {@code GET /}.
 * Every write gets the same rev: inventing one per write would be work the ceiling must not do.
 */
public final class BareHandlerServer implements AutoCloseable {
    static final String REV = "1-00000000000000000000000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND = "{\"error\":\"not_found\",\"reason\":\"missing\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WELCOME = "{\"couchdb\":\"Welcome\",\"vendor\":{\"name\":\"bare handler\"}}".getBytes(StandardCharsets.UTF_8);

    private final Map<String, Map<String, byte[]>> databases = new ConcurrentHashMap<>();
    private final Server jetty;
    private final ServerConnector connector;

    private BareHandlerServer(Server jetty, ServerConnector connector) {
        this.jetty = jetty;
        this.connector = connector;
    }

    /** Starts on {@code host:port} (0 = any free port). */
    public static BareHandlerServer start(String host, int port) throws Exception {
        VirtualThreadPool threads = new VirtualThreadPool(100_000);
        threads.setName("bare-http");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        BareHandlerServer server = new BareHandlerServer(jetty, connector);
        jetty.setHandler(server.new BareHandler());
        jetty.start();
        return server;
    }

    public URI uri() {
        return URI.create("http://" + connector.getHost() + ":" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    private final class BareHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String[] path = request.getHttpURI().getPath().substring(1).split("/", 2);
            String method = request.getMethod();
            String db = path[0];
            if (db.isEmpty()) {
                return reply(response, callback, 200, WELCOME);
            }
            if (path.length == 1 || path[1].isEmpty()) {
                switch (method) {
                    case "PUT" -> databases.putIfAbsent(db, new ConcurrentHashMap<>());
                    case "DELETE" -> databases.remove(db);
                    default -> { }
                }
                return reply(response, callback, method.equals("PUT") ? 201 : 200, OK);
            }
            Map<String, byte[]> docs = databases.computeIfAbsent(db, k -> new ConcurrentHashMap<>());
            String id = path[1];
            if (id.equals("_bulk_docs") && method.equals("POST")) {
                return reply(response, callback, 201, bulk(docs, body(request)));
            }
            return switch (method) {
                case "PUT" -> {
                    docs.put(id, body(request));
                    yield reply(response, callback, 201, ("{\"ok\":true,\"id\":\"" + id + "\",\"rev\":\"" + REV + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
                }
                case "GET" -> {
                    byte[] doc = docs.get(id);
                    yield doc == null ? reply(response, callback, 404, NOT_FOUND) : reply(response, callback, 200, doc);
                }
                default -> reply(response, callback, 405, "{\"error\":\"method_not_allowed\"}".getBytes(StandardCharsets.UTF_8));
            };
        }

        private byte[] bulk(Map<String, byte[]> docs, byte[] body) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator rows = JSON.createGenerator(out)) {
                rows.writeStartArray();
                for (JsonNode doc : JSON.readTree(body).path("docs")) {
                    String id = doc.path("_id").asText();
                    docs.put(id, JSON.writeValueAsBytes(doc));
                    rows.writeStartObject();
                    rows.writeBooleanField("ok", true);
                    rows.writeStringField("id", id);
                    rows.writeStringField("rev", REV);
                    rows.writeEndObject();
                }
                rows.writeEndArray();
            }
            return out.toByteArray();
        }

        private static byte[] body(Request request) throws IOException {
            try (InputStream in = Content.Source.asInputStream(request)) {
                return in.readAllBytes();
            }
        }

        private static boolean reply(Response response, Callback callback, int status, byte[] body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }
}
