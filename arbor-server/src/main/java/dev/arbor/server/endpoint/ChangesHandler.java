package dev.arbor.server.endpoint;

import dev.arbor.api.Database;
import dev.arbor.server.http.HttpExchange;

/**
 * Answers {@code GET/POST /{db}/_changes}. The changes package implements every feed (longpoll,
 * continuous, eventsource, filters); {@link NormalChangesFeed} is the small built-in one.
 */
@FunctionalInterface
public interface ChangesHandler {
    void handle(HttpExchange exchange, Database db) throws Exception;
}
