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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The RocksDB engine honours the contract of every facet of a database; {@link RocksReopenTest} adds what survives a
 * reopen. {@link EncryptedRocksContractTest} runs the same facets over an encrypted storage.
 */
class RocksContractTest {
    // Static so every facet's nested tests share it: one directory per run, one storage directory per test inside it.
    @TempDir
    static Path root;

    private static final AtomicInteger storages = new AtomicInteger();

    /** A new storage for one test; the nested facets' tests all open theirs here. */
    Storage fresh() {
        return Arbor.storage(freshDirectory());
    }

    /** A fresh directory for one storage. */
    static Path freshDirectory() {
        return root.resolve("storage-" + storages.incrementAndGet());
    }

    @Nested
    class StorageFacet extends StorageContract {
        @Override
        protected Storage newStorage() {
            return fresh();
        }
    }

    @Nested
    class DocumentsFacet extends DocumentsContract {
        @Override
        protected Storage newStorage() {
            return fresh();
        }
    }

    @Nested
    class ChangesFacet extends ChangesContract {
        @Override
        protected Storage newStorage() {
            return fresh();
        }
    }

    @Nested
    class LocalDocumentsFacet extends LocalDocumentsContract {
        @Override
        protected Storage newStorage() {
            return fresh();
        }
    }

    @Nested
    class AttachmentsFacet extends AttachmentsContract {
        @Override
        protected Storage newStorage() {
            return fresh();
        }
    }

    @Nested
    class MaintenanceFacet extends MaintenanceContract {
        @Override
        protected Storage newStorage() {
            return fresh();
        }
    }

    @Nested
    class MangoFacet extends FindContract {
        @Override
        protected Storage newStorage() {
            return fresh();
        }
    }

    @Nested
    class ViewsFacet extends ViewContract {
        @Override
        protected Storage newStorage() {
            return fresh();
        }
    }

    @Nested
    class PartitionsFacet extends PartitionContract {
        @Override
        protected Storage newStorage() {
            return fresh();
        }
    }

    @Nested
    class LiveQueriesFacet extends LiveQueriesContract {
        @Override
        protected Storage newStorage() {
            return fresh();
        }
    }
}
