package dev.arbor.server.endpoint;

import dev.arbor.api.Database;
import dev.arbor.server.http.HttpExchange;

/**
 * Answers {@code GET/POST /{db}/_changes}. The server's handler, with every feed type (normal, longpoll,
 * continuous, eventsource) and the built-in filters, is {@code dev.arbor.server.changes.ChangesEndpoint}.
 */
@FunctionalInterface
public interface ChangesHandler {
    void handle(HttpExchange exchange, Database db) throws Exception;
}
