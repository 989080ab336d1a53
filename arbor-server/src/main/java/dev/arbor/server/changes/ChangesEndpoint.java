package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.endpoint.ChangesHandler;
import dev.arbor.server.http.HttpError;
import dev.arbor.server.http.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * {@code GET/POST /{db}/_changes} over HTTP: reads the request, admits the feed, and runs it on the
 * request's virtual thread, streaming to the response. Plug it in with
 * {@code ArborServer.builder(...).changes(new ChangesEndpoint(config))}; close it when the server stops
 * so live feeds end with their trailer instead of holding the graceful shutdown to its timeout.
 */
public final class ChangesEndpoint implements ChangesHandler, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChangesEndpoint.class.getName());

    private final ChangesService service;

    public ChangesEndpoint() {
        this(ChangesConfig.DEFAULT);
    }

    public ChangesEndpoint(ChangesConfig config) {
        this.service = new ChangesService(config);
    }

    public ChangesService service() {
        return service;
    }

    @Override
    public void handle(HttpExchange exchange, Database db) throws IOException {
        boolean post = exchange.method().equals("POST");
        ObjectNode body = null;
        if (post) {
            exchange.requireJsonContentType();
            body = optionalJsonObject(exchange);
        }
        ChangesRequest request = service.parser().parse(exchange.query().asMap(), post, body,
                exchange.header("Last-Event-ID"), db);
        ChangesFeed feed;
        try {
            feed = service.open(db, request, new ResponseBody(exchange, request.feed()));
        } catch (ChangesService.TooManyFeeds e) {
            throw new HttpError(e.status(), e.error(), e.reason(), Map.of("Retry-After", "1"));
        }
        if (request.feed().isLive()) {
            // Waiting quietly is a live feed's job: Jetty's connector idle timeout (30 s) must not fail it.
            // Its own timeout (at most the changes timeout) or a failing heartbeat ends it instead.
            exchange.jettyRequest().addIdleTimeoutListener(timeout -> false);
            // A connection that fails for another reason ends the feed at once rather than at its next write.
            exchange.jettyRequest().addFailureListener(failure -> feed.cancel());
        }
        try (feed) {
            feed.run();
        } catch (IOException e) {
            // The client went away mid-feed; nothing is left to answer.
            LOG.log(System.Logger.Level.DEBUG, "changes feed ended by its client: {0}", e.toString());
        }
    }

    /** CouchDB accepts a POST without a body (an empty one); a body that is there must be a JSON object. */
    private static ObjectNode optionalJsonObject(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.body()) {
            bytes = in.readAllBytes();
        }
        if (bytes.length == 0) {
            return null;
        }
        JsonNode node = Json.parse(bytes);
        if (!(node instanceof ObjectNode object)) {
            throw new ArborException.BadRequest("bad_request", "Request body must be a JSON object");
        }
        return object;
    }

    /** Ends every live feed; called as the server begins to stop. */
    @Override
    public void close() {
        service.close();
    }

    /**
     * The response body, started (status and headers sent) only once {@link #BUFFER_BYTES} are waiting or the feed
     * flushes, as CouchDB buffers a chunked response: a feed refused or failing before that (a filter function that
     * throws on the first rows) still gets its own error status instead of a 200 cut off mid-body.
     */
    private static final class ResponseBody extends OutputStream {
        /** CouchDB's default {@code [chttpd] chunked_response_buffer_size}. */
        static final int BUFFER_BYTES = 1490;

        private final HttpExchange exchange;
        private final FeedType feed;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        private OutputStream out;

        ResponseBody(HttpExchange exchange, FeedType feed) {
            this.exchange = exchange;
            this.feed = feed;
        }

        private OutputStream out() throws IOException {
            if (out == null) {
                if (feed == FeedType.EVENTSOURCE) {
                    // As CouchDB: an event stream must not be cached by anything in between.
                    exchange.setHeader("Cache-Control", "no-cache");
                }
                out = exchange.startBody(200, feed.contentType());
                pending.writeTo(out);
                pending.reset();
            }
            return out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (out == null && pending.size() + len <= BUFFER_BYTES) {
                pending.write(b, off, len);
                return;
            }
            out().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out().flush();
        }

        @Override
        public void close() throws IOException {
            out().close();
        }
    }
}
