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
 * pushes) must cross the transport intact. This class runs them over the WebSocket; {@link QuicContractTest} inherits
 * every suite and runs it over QUIC. One server for the suite on a loopback port; each test gets it emptied of
 * databases. A suite added here calls {@code ProtocolContractTest.this.expectedName} and {@link #emptiedStorage}, so
 * it runs over both transports.
 */
class ProtocolContractTest {
    @RegisterExtension
    static final LoopbackServer server = LoopbackServer.withQuic();

    /** Where the client connects: the transport these suites run over. */
    URI location() {
        return URI.create("ws://127.0.0.1:" + server.uri().getPort() + "/");
    }

    /** A database's name as the client reports it: its URL on the server, without credentials or query. */
    String expectedName(String dbName) {
        URI at = location();
        return at.getScheme() + "://" + at.getHost() + ":" + at.getPort() + "/" + dbName + "/";
    }

    Storage emptiedStorage() {
        ProtocolStorage storage = new ProtocolStorage(ProtocolConnection.open(location(), Duration.ofSeconds(30)));
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
            return ProtocolContractTest.this.expectedName(dbName);
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
            return ProtocolContractTest.this.expectedName(dbName);
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
            return ProtocolContractTest.this.expectedName(dbName);
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
            return ProtocolContractTest.this.expectedName(dbName);
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
            return ProtocolContractTest.this.expectedName(dbName);
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
            return ProtocolContractTest.this.expectedName(dbName);
        }
    }
}
