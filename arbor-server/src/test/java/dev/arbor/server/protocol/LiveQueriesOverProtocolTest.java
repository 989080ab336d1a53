package dev.arbor.server.protocol;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.LiveQueriesContract;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.server.contract.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Live queries through the Arbor protocol against a loopback server: the contract's deltas cross the WebSocket as
 * pushes, a resume goes out on a new connection after the old one is closed, and the fresh query each step is compared
 * with is read over HTTP from the same server.
 */
class LiveQueriesOverProtocolTest extends LiveQueriesContract {
    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.withQuic();

    private final List<Storage> connections = new ArrayList<>();
    private RemoteStorage http;

    /** Where the protocol client connects: the WebSocket here, QUIC in {@link LiveQueriesOverQuicTest}. */
    URI location() {
        return URI.create("ws://127.0.0.1:" + server.uri().getPort() + "/");
    }

    @Override
    protected Storage newStorage() {
        ProtocolStorage storage = new ProtocolStorage(ProtocolConnection.open(location(), Duration.ofSeconds(30)));
        for (String name : storage.listDatabases()) {
            storage.deleteDatabase(name);
        }
        return storage;
    }

    @Override
    protected Database oracle() {
        if (http == null) {
            http = new RemoteStorage(server.uri(), RemoteOptions.DEFAULT);
        }
        return http.database("db");
    }

    /** Cuts the latest connection and opens another. */
    @Override
    protected Database reconnected() {
        if (!connections.isEmpty()) {
            connections.getLast().close();
        }
        ProtocolStorage next = new ProtocolStorage(ProtocolConnection.open(location(), Duration.ofSeconds(30)));
        connections.add(next);
        return next.database("db");
    }

    @AfterEach
    void closeConnections() {
        connections.forEach(Storage::close);
        if (http != null) {
            http.close();
        }
    }
}
