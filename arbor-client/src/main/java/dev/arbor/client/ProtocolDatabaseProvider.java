package dev.arbor.client;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.spi.DatabaseProvider;
import dev.arbor.client.protocol.Reconnect;
import dev.arbor.client.protocol.ReconnectingConnection;
import dev.arbor.client.protocol.ProtocolStorage;

import java.time.Duration;

/**
 * Lets {@code Arbor.storage("ws://user:pw@host:5984")} and {@code Arbor.open("ws://host:5984/db")} reach a server over
 * the Arbor protocol: one WebSocket connection carrying the Java API (documents, the key-value store, pub/sub), many
 * requests in flight at once; or {@code arbor://user:pw@host:port[/db][?pin=<fingerprint>|?trust=<pem file>]}, the same
 * over QUIC to the server's {@code quic_port}. The last path segment of a database URL is the database; user info logs
 * in (Basic auth on the WebSocket's upgrade, the hello over QUIC). A lost connection is reopened with backoff
 * ({@link Reconnect}: 50 ms doubling to 5 s; {@code ?reconnect=false}, {@code reconnect_initial_ms},
 * {@code reconnect_max_ms} in the URL change it).
 */
public final class ProtocolDatabaseProvider implements DatabaseProvider {
    /** How long connecting, and each request, may take before it fails. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public boolean accepts(String location) {
        String lower = location.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("ws://") || lower.startsWith("wss://") || lower.startsWith("arbor://");
    }

    /** The database, created when the server does not have it yet; closing it closes its connection. */
    @Override
    public Database open(String location) {
        DatabaseUrl url = DatabaseUrl.ofDatabase(location);
        String query = DatabaseUrl.server(location).getRawQuery();
        ProtocolStorage storage = new ProtocolStorage(ReconnectingConnection.open(withQuery(url.server(), query),
                REQUEST_TIMEOUT, Reconnect.fromQuery(query)));
        try {
            return storage.databaseOrCreate(url.name(), storage);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** The server's URL with the database URL's query, which says how to trust an {@code arbor://} server. */
    private static java.net.URI withQuery(java.net.URI server, String rawQuery) {
        return rawQuery == null ? server : java.net.URI.create(server + "?" + rawQuery);
    }

    @Override
    public Storage openStorage(String location) {
        java.net.URI server = DatabaseUrl.server(location);
        return new ProtocolStorage(ReconnectingConnection.open(server, REQUEST_TIMEOUT, Reconnect.fromQuery(server.getRawQuery())));
    }
}
