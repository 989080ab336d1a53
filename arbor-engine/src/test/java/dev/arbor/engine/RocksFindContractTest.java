package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.FindContract;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.arbor.api.contract.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The RocksDB engine answers Mango queries as the contract says, and keeps its index rows across a reopen. */
class RocksFindContractTest extends FindContract {
    @TempDir
    static Path root;

    private static final AtomicInteger storages = new AtomicInteger();

    @Override
    protected Storage newStorage() {
        return Arbor.storage(root.resolve("storage-" + storages.incrementAndGet()));
    }

    @Test
    void indexRowsAndTheirCheckpointSurviveAReopen() {
        Path dir = root.resolve("reopen-" + storages.incrementAndGet());
        FindRequest query = FindRequest.of(Json.parse("{\"n\":{\"$gte\":2}}")).executionStats(true);
        try (Storage first = Arbor.storage(dir)) {
            Database db = first.createDatabase("db");
            db.createIndex(IndexDefinition.of("n").ddoc("p").name("n"));
            for (int i = 0; i < 5; i++) {
                db.put(doc("{'_id':'d" + i + "','n':" + i + "}"));
            }
            assertEquals(3, db.find(query).docs().size());
        }
        try (Storage second = Arbor.storage(dir)) {
            Database db = second.database("db");
            FindResult stale = db.find(query.update(false));
            assertEquals(3, stale.docs().size(), "the rows were committed with their checkpoint");
            assertEquals(3, stale.executionStats().totalKeysExamined());
            db.put(doc("{'_id':'d9','n':9}"));
            assertEquals(4, db.find(query).docs().size(), "the update resumes from the stored checkpoint");
        }
    }
}
