package dev.arbor.collection;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Database;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A collection database reached over the Arbor protocol: a real server on a 127.0.0.1 port serving a storage in
 * {@code dir} opened with the schema (so its typed views run there, beside the data), and a {@code ws://} client
 * connected to it. Closing the database closes the client, then the server; opening the same directory again serves
 * what the last one stored.
 */
final class OverProtocol {
    static final String DATABASE = "collections";

    private OverProtocol() {}

    static CollectionDatabase open(Path dir, Schema schema) {
        ServerConfig config = ServerConfig.defaults(dir).withPort(0).withAccessLog(false);
        ArborServer server;
        try {
            server = ArborServer.builder(config, Arbor.storage(dir, ArborOptions.DEFAULT, List.of(schema))).start();
        } catch (Exception e) {
            throw new IllegalStateException("the loopback server did not start", e);
        }
        ProtocolStorage client = new ProtocolStorage(ProtocolConnection.open(
                URI.create("ws://127.0.0.1:" + server.port()), Duration.ofSeconds(30)));
        Database database = client.databaseOrCreate(DATABASE, () -> {
            client.close();
            server.close();
        });
        return schema.bind(database);
    }
}
