package dev.arbor.server.view;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.ViewContract;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The view contract through the remote client against Arbor's own server: the client's {@code _view},
 * {@code _info} and {@code _view_cleanup} calls and the server's endpoints must carry every detail across.
 */
class RemoteViewContractTest extends ViewContract {
    @TempDir
    static Path root;
    private static ArborServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ArborServer.builder(ServerConfig.defaults(root).withPort(0).withAccessLog(false),
                Arbor.storage(root.resolve("data"))).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Each test gets its own database "db" by deleting the previous test's. */
    @Override
    protected Storage newStorage() {
        RemoteStorage storage = new RemoteStorage(server.uri(), RemoteOptions.DEFAULT);
        if (storage.exists("db")) {
            storage.deleteDatabase("db");
        }
        return storage;
    }
}
