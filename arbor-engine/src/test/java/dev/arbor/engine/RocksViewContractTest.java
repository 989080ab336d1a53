package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.contract.ViewContract;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.arbor.api.contract.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The RocksDB engine answers view queries as the contract says, and keeps its index across a reopen. */
class RocksViewContractTest extends ViewContract {
    @TempDir
    static Path root;

    private static final AtomicInteger storages = new AtomicInteger();

    @Override
    protected Storage newStorage() {
        return Arbor.storage(root.resolve("storage-" + storages.incrementAndGet()));
    }

    @Test
    void indexRowsReductionsAndCheckpointSurviveAReopen() {
        Path dir = root.resolve("reopen-" + storages.incrementAndGet());
        ViewQuery stale = ViewQuery.builder().update(ViewQuery.Update.FALSE).groupLevel(1).build();
        try (Storage first = Arbor.storage(dir)) {
            Database db = first.createDatabase("db");
            db.put(doc("{'_id':'_design/d','views':{'v':{'map':'function(doc){ emit([doc.g, doc.n], doc.n); }','reduce':'_sum'}}}"));
            for (int i = 0; i < 5; i++) {
                db.put(doc("{'_id':'d" + i + "','g':'x','n':" + i + "}"));
            }
            assertEquals(10, db.query("d", "v", ViewQuery.builder().groupLevel(1).build()).rows().get(0).value().asInt());
        }
        try (Storage second = Arbor.storage(dir)) {
            Database db = second.database("db");
            ViewResult before = db.query("d", "v", stale);
            assertEquals(10, before.rows().get(0).value().asInt(), "rows and reductions were committed with their checkpoint");
            db.put(doc("{'_id':'d9','g':'x','n':9}"));
            assertEquals(19, db.query("d", "v", ViewQuery.builder().groupLevel(1).build()).rows().get(0).value().asInt());
            assertEquals(Json.parse("[\"x\"]"), db.query("d", "v", stale).rows().get(0).key());
        }
    }
}
