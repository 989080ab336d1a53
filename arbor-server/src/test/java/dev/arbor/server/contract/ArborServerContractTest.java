package dev.arbor.server.contract;

import dev.arbor.api.Storage;
import dev.arbor.api.contract.AttachmentsContract;
import dev.arbor.api.contract.ChangesContract;
import dev.arbor.api.contract.DocumentsContract;
import dev.arbor.api.contract.FindContract;
import dev.arbor.api.contract.LocalDocumentsContract;
import dev.arbor.api.contract.MaintenanceContract;
import dev.arbor.api.contract.PartitionContract;
import dev.arbor.api.contract.StorageContract;
import dev.arbor.api.contract.ViewContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The remote client against Arbor's own server: the contract of every facet of a database over HTTP, with no
 * known differences allowed, so the client's calls and the server's endpoints must carry every detail across.
 * The server runs in this JVM on an ephemeral loopback port over a RocksDB storage in a temp directory, one for
 * the whole suite; each test gets it emptied of databases.
 */
class ArborServerContractTest {
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    private static String expectedName(String dbName) {
        return server.uri().resolve(dbName + "/").toString();
    }

    @Nested
    class StorageFacet extends StorageContract {
        @Override
        protected Storage newStorage() {
            return server.emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return ArborServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class DocumentsFacet extends DocumentsContract {
        @Override
        protected Storage newStorage() {
            return server.emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return ArborServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class ChangesFacet extends ChangesContract {
        @Override
        protected Storage newStorage() {
            return server.emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return ArborServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class LocalDocumentsFacet extends LocalDocumentsContract {
        @Override
        protected Storage newStorage() {
            return server.emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return ArborServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class AttachmentsFacet extends AttachmentsContract {
        @Override
        protected Storage newStorage() {
            return server.emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return ArborServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class MaintenanceFacet extends MaintenanceContract {
        @Override
        protected Storage newStorage() {
            return server.emptiedStorage();
        }

        @Override
        protected String expectedName(String dbName) {
            return ArborServerContractTest.expectedName(dbName);
        }
    }

    @Nested
    class MangoFacet extends FindContract {
        @Override
        protected Storage newStorage() {
            return server.emptiedStorage();
        }
    }

    @Nested
    class ViewsFacet extends ViewContract {
        @Override
        protected Storage newStorage() {
            return server.emptiedStorage();
        }
    }

    @Nested
    class PartitionsFacet extends PartitionContract {
        @Override
        protected Storage newStorage() {
            return server.emptiedStorage();
        }
    }
}
