package dev.arbor.server.protocol;

import dev.arbor.api.Storage;
import dev.arbor.api.contract.DocumentsContract;
import dev.arbor.api.contract.AttachmentsContract;
import dev.arbor.api.contract.ChangesContract;
import dev.arbor.api.contract.ViewContract;
import dev.arbor.api.contract.FindContract;
import dev.arbor.api.contract.PartitionContract;
import dev.arbor.api.contract.MaintenanceContract;
import dev.arbor.api.contract.LocalDocumentsContract;
import dev.arbor.api.contract.StorageContract;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.server.contract.LoopbackServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;

/**
 * The Java client over the Arbor protocol against Arbor's own server: the contract of every facet, with no known
 * differences allowed, so each call's arguments and results (rows streamed in chunks, attachments both ways, commit
 * pushes) must cross the WebSocket intact. One server for the suite on a loopback port; each test gets it emptied of
 * databases.
 */
class ProtocolContractTest {
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    private static URI ws() {
        return URI.create("ws://127.0.0.1:" + server.uri().getPort() + "/");
    }

    private static String expectedName(String dbName) {
        return ws().resolve(dbName + "/").toString();
    }

    private static Storage emptiedStorage() {
        ProtocolStorage storage = new ProtocolStorage(ProtocolConnection.open(ws(), Duration.ofSeconds(30)));
        for (String name : storage.listDatabases()) {
            storage.deleteDatabase(name);
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
            return ProtocolContractTest.expectedName(dbName);
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
            return ProtocolContractTest.expectedName(dbName);
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
            return ProtocolContractTest.expectedName(dbName);
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
            return ProtocolContractTest.expectedName(dbName);
        }
    }

    @Nested
    class PartitionsFacet extends PartitionContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
        }
    }

    @Nested
    class MangoFacet extends FindContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
        }
    }

    @Nested
    class ViewsFacet extends ViewContract {
        @Override
        protected Storage newStorage() {
            return emptiedStorage();
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
            return ProtocolContractTest.expectedName(dbName);
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
            return ProtocolContractTest.expectedName(dbName);
        }
    }
}
