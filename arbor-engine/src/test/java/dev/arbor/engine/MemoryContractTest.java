package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.AttachmentsContract;
import dev.arbor.api.contract.ChangesContract;
import dev.arbor.api.contract.DocumentsContract;
import dev.arbor.api.contract.FindContract;
import dev.arbor.api.contract.LiveQueriesContract;
import dev.arbor.api.contract.LocalDocumentsContract;
import dev.arbor.api.contract.MaintenanceContract;
import dev.arbor.api.contract.PartitionContract;
import dev.arbor.api.contract.StorageContract;
import dev.arbor.api.contract.ViewContract;
import org.junit.jupiter.api.Nested;

/** The in-memory engine honours the contract of every facet of a database. */
class MemoryContractTest {

    @Nested
    class StorageFacet extends StorageContract {
        @Override
        protected Storage newStorage() {
            return Arbor.inMemoryStorage();
        }
    }

    @Nested
    class DocumentsFacet extends DocumentsContract {
        @Override
        protected Storage newStorage() {
            return Arbor.inMemoryStorage();
        }
    }

    @Nested
    class ChangesFacet extends ChangesContract {
        @Override
        protected Storage newStorage() {
            return Arbor.inMemoryStorage();
        }
    }

    @Nested
    class LocalDocumentsFacet extends LocalDocumentsContract {
        @Override
        protected Storage newStorage() {
            return Arbor.inMemoryStorage();
        }
    }

    @Nested
    class AttachmentsFacet extends AttachmentsContract {
        @Override
        protected Storage newStorage() {
            return Arbor.inMemoryStorage();
        }
    }

    @Nested
    class MaintenanceFacet extends MaintenanceContract {
        @Override
        protected Storage newStorage() {
            return Arbor.inMemoryStorage();
        }
    }

    @Nested
    class MangoFacet extends FindContract {
        @Override
        protected Storage newStorage() {
            return Arbor.inMemoryStorage();
        }
    }

    @Nested
    class ViewsFacet extends ViewContract {
        @Override
        protected Storage newStorage() {
            return Arbor.inMemoryStorage();
        }
    }

    @Nested
    class PartitionsFacet extends PartitionContract {
        @Override
        protected Storage newStorage() {
            return Arbor.inMemoryStorage();
        }
    }

    @Nested
    class LiveQueriesFacet extends LiveQueriesContract {
        @Override
        protected Storage newStorage() {
            return Arbor.inMemoryStorage();
        }
    }
}
