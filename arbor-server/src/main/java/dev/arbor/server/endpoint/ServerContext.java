package dev.arbor.server.endpoint;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.server.http.HttpExchange;

/**
 * What endpoints share: the storage, this server's identity, and its version.
 *
 * @param uuid    this server's persistent id, reported by {@code GET /} (clients use it to tell servers apart)
 * @param version Arbor's version
 */
public record ServerContext(Storage storage, String uuid, String version) {

    /** The database the exchange's path names; 404 {@code not_found} "Database does not exist." when there is none. */
    public Database database(HttpExchange exchange) {
        return storage.database(exchange.db());
    }
}
