package dev.arbor.server.contract;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.DatabaseContract;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The remote client against Arbor's own server: the whole database contract over HTTP, with no known
 * differences allowed. The server runs in this JVM on an ephemeral loopback port over a RocksDB storage
 * in a temp directory; each test gets it emptied of databases.
 */
class ArborServerContractTest extends DatabaseContract {
    @TempDir
    static Path dir;
    private static ArborServer server;

    @BeforeAll
    static void startServer() throws Exception {
        ServerConfig config = ServerConfig.defaults(dir.resolve("arbor-data")).withPort(0).withAccessLog(false);
        server = ArborServer.builder(config, Arbor.storage(config.dataDir())).start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @Override
    protected String expectedName(String dbName) {
        return server.uri().resolve(dbName + "/").toString();
    }

    /** A fresh, empty server for each test: one server, emptied, so the suite does not pay a start per test. */
    @Override
    protected Storage newStorage() {
        RemoteStorage storage = new RemoteStorage(server.uri(), RemoteOptions.DEFAULT);
        for (String name : storage.listDatabases()) {
            storage.deleteDatabase(name);
        }
        return storage;
    }
}
