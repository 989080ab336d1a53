package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.PartitionContract;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.arbor.api.contract.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RocksDB engine offers partitioned databases as the contract says, and remembers which ones are. */
class RocksPartitionContractTest extends PartitionContract {
    @TempDir
    static Path root;

    private static final AtomicInteger storages = new AtomicInteger();

    @Override
    protected Storage newStorage() {
        return Arbor.storage(root.resolve("storage-" + storages.incrementAndGet()));
    }

    @Test
    void partitionedStaysPartitionedAcrossAReopen() {
        Path dir = root.resolve("reopen-" + storages.incrementAndGet());
        try (Storage first = Arbor.storage(dir)) {
            first.createDatabase("pdb", true).put(doc("{'_id':'p:1'}"));
        }
        try (Storage second = Arbor.storage(dir)) {
            Database db = second.database("pdb");
            assertTrue(db.info().partitioned());
            assertThrows(ArborException.BadRequest.class, () -> db.put(doc("{'_id':'nopartition'}")));
            assertEquals(1, db.partition("p").info().docCount());
        }
    }
}
