package dev.arbor.client;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.spi.DatabaseProvider;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;

import java.time.Duration;

/**
 * Lets {@code Arbor.storage("ws://user:pw@host:5984")} and {@code Arbor.open("ws://host:5984/db")} reach a server over
 * the Arbor protocol: one WebSocket connection carrying the Java API (documents, the key-value store, pub/sub), many
 * requests in flight at once; or {@code arbor://user:pw@host:port[/db][?pin=<fingerprint>|?trust=<pem file>]}, the same
 * over QUIC to the server's {@code quic_port}. The last path segment of a database URL is the database; user info logs
 * in (Basic auth on the WebSocket's upgrade, the hello over QUIC). Facets the protocol does not carry yet throw {@link UnsupportedOperationException}; {@code http://} reaches
 * them all through CouchDB's HTTP API.
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
        ProtocolStorage storage = new ProtocolStorage(ProtocolConnection.open(
                withQuery(url.server(), DatabaseUrl.server(location).getRawQuery()), REQUEST_TIMEOUT));
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
        return new ProtocolStorage(ProtocolConnection.open(DatabaseUrl.server(location), REQUEST_TIMEOUT));
    }
}
