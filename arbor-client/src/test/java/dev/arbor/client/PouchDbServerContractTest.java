package dev.arbor.client;

import dev.arbor.api.Storage;
import dev.arbor.api.contract.DatabaseContract;
import dev.arbor.client.peer.PouchDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;

/**
 * The remote client against a real pouchdb-server: the whole database contract, over HTTP. Tests that
 * fail here because pouchdb-server is not CouchDB are listed, with the reason, in
 * docs/remote-client.md; every failure caused by the client is fixed.
 */
class PouchDbServerContractTest extends DatabaseContract {
    private static PouchDbServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PouchDbServer.start(Path.of("target", "pouchdb-server-contract"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    /** A fresh, empty server for each test: one server process, emptied, since starting one costs seconds. */
    @Override
    protected Storage newStorage() {
        RemoteStorage storage = new RemoteStorage(server.url(), RemoteOptions.DEFAULT);
        for (String name : storage.listDatabases()) {
            storage.deleteDatabase(name);
        }
        return storage;
    }
}
