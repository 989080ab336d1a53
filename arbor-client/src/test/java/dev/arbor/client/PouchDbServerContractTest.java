package dev.arbor.client;

import dev.arbor.api.Storage;
import dev.arbor.api.contract.AttachmentsContract;
import dev.arbor.api.contract.ChangesContract;
import dev.arbor.api.contract.DocumentsContract;
import dev.arbor.api.contract.LocalDocumentsContract;
import dev.arbor.api.contract.MaintenanceContract;
import dev.arbor.api.contract.StorageContract;
import dev.arbor.client.peer.PeerDifferences;
import dev.arbor.client.peer.PouchDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

/**
 * The remote client against a real pouchdb-server: the contract of every facet the client's CouchDB API
 * carries, over HTTP. Tests that fail because pouchdb-server is not CouchDB are listed with the reason in
 * {@link PeerDifferences#pouchDbServer()} and reported as skipped; any other failure is the client's.
 */
class PouchDbServerContractTest {
    @RegisterExtension
    static final PeerDifferences KNOWN_DIFFERENCES = PeerDifferences.pouchDbServer();

    private static PouchDbServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PouchDbServer.start(Path.of("target", "pouchdb-server-contract"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    private static String expectedName(String dbName) {
        return server.url().resolve(dbName + "/").toString();
    }

    /** A fresh, empty server for each test: one server process, emptied, since starting one costs seconds. */
    private static Storage emptiedStorage() {
        RemoteStorage storage = new RemoteStorage(server.url(), RemoteOptions.DEFAULT);
        for (String name : storage.listDatabases()) {
            // pouchdb-server's own _users and _replicator stay: it lists them whatever happens.
            if (!name.startsWith("_")) storage.deleteDatabase(name);
        }
        return storage;
    }

    @Nested
    class StorageFacet extends StorageContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return PouchDbServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class DocumentsFacet extends DocumentsContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return PouchDbServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class ChangesFacet extends ChangesContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return PouchDbServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class LocalDocumentsFacet extends LocalDocumentsContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return PouchDbServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class AttachmentsFacet extends AttachmentsContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return PouchDbServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class MaintenanceFacet extends MaintenanceContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return PouchDbServerContractTest.expectedName(dbName);
        }
    }
}
