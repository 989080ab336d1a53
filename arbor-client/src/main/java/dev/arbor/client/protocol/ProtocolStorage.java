package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;

import java.util.List;
import java.util.Optional;

/**
 * A server's storage over one Arbor protocol connection: its databases, and the storage's pub/sub. Every database opened
 * from it shares the connection, which reconnects after a loss ({@link ReconnectingConnection}); closing the storage
 * closes the connection, failing whatever still waits on it.
 * Thread-safe, as the connection is.
 */
public final class ProtocolStorage implements Storage {
    private final ReconnectingConnection connection;
    private final PubSub pubSub;

    /** Over {@code connection}, which reconnects after a loss as its policy says. */
    public ProtocolStorage(ReconnectingConnection connection) {
        this.connection = connection;
        this.pubSub = new ProtocolPubSub(connection, null);
    }

    /** Over {@code connection} alone: once it ends, every call fails (see {@link ReconnectingConnection#fixed}). */
    public ProtocolStorage(ProtocolConnection connection) {
        this(ReconnectingConnection.fixed(connection));
    }

    @Override
    public Database createDatabase(String name, boolean partitioned) {
        connection.call(Op.STORAGE_CREATE, Values.object().put("name", name).put("partitioned", partitioned));
        return new ProtocolDatabase(connection, name, null);
    }

    @Override
    public Database database(String name) {
        if (!exists(name)) {
            throw new ArborException.NotFound("Database does not exist.");
        }
        return new ProtocolDatabase(connection, name, null);
    }

    @Override
    public Database databaseOrCreate(String name) {
        return databaseOrCreate(name, null);
    }

    /** The database, created first when the server has none by that name; {@code owner} is closed with it. */
    public Database databaseOrCreate(String name, AutoCloseable owner) {
        if (!exists(name)) {
            try {
                connection.call(Op.STORAGE_CREATE, Values.object().put("name", name));
            } catch (ArborException.PreconditionFailed createdMeanwhile) {
                // another client made it first: use theirs
            }
        }
        return new ProtocolDatabase(connection, name, owner);
    }

    @Override
    public boolean exists(String name) {
        return connection.call(Op.STORAGE_EXISTS, Values.object().put("name", name)).asBoolean();
    }

    @Override
    public List<String> listDatabases() {
        JsonNode names = connection.call(Op.STORAGE_LIST, Values.object());
        return List.copyOf(Values.strings(names));
    }

    @Override
    public void deleteDatabase(String name) {
        connection.call(Op.STORAGE_DELETE, Values.object().put("name", name));
    }

    /** The server's storage-wide pub/sub; the server lets only callers who may do anything use it. */
    @Override
    public Optional<PubSub> pubSub() {
        return Optional.of(pubSub);
    }

    /** A custom API of the server, called over this storage's connection. */
    @Override
    public <Q, R> dev.arbor.api.custom.ApiClient<Q, R> api(dev.arbor.api.custom.Api<Q, R> api) {
        return new ProtocolApiClient<>(connection, api);
    }

    @Override
    public void close() {
        connection.close();
    }
}
