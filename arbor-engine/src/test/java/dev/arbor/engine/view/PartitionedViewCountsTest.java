package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.core.json.Json;
import dev.arbor.engine.store.DatabaseProps;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import dev.arbor.js.JsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A partitioned view keeps each partition's row count beside its rows, so a partition query's {@code total_rows}
 * is one read; the counts follow every change and the integrity check holds them to the rows.
 */
class PartitionedViewCountsTest {
    private static final String[] PARTITIONS = {"a", "b", "c"};
    private final MemoryKvStore store = new MemoryKvStore(EngineSpaces.ALL);
    private final EngineDatabase db;

    PartitionedViewCountsTest() {
        new DatabaseProps(true).writeTo(store);
        db = new EngineDatabase("parts", store, false, () -> {});
        db.put(Json.parseObject("{\"_id\":\"_design/d\",\"views\":{\"tags\":{\"map\":"
                + "\"function(doc){ if (doc.tags) doc.tags.forEach(function(t){ emit(t, 1); }); }\"}}}"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Document {@code i} of partition {@code p}: {@code i % 4} tags, so some documents have no rows at all. */
    private static ObjectNode doc(String partition, int i) {
        ObjectNode doc = Json.object().put("_id", partition + ":" + i);
        var tags = doc.putArray("tags");
        for (int t = 0; t < i % 4; t++) {
            tags.add("t" + t);
        }
        return doc;
    }

    private ViewResult query(String partition, ViewQuery query) {
        return db.partition(partition).query("d", "tags", query);
    }

    /** The partition's rows read one by one: what total_rows must say. */
    private long rowsOf(String partition) {
        return query(partition, ViewQuery.builder().build()).rows().size();
    }

    private void assertTotalsAreTheRows() {
        for (String partition : PARTITIONS) {
            long rows = rowsOf(partition);
            assertEquals(rows, query(partition, ViewQuery.builder().limit(1).build()).totalRows(), partition);
        }
    }

    private DesignViews design() {
        return DesignViews.compile(StoredDocs.winner(store, "_design/d", false), JsOptions.defaults(), true);
    }

    @Test
    void aPartitionsTotalRowsIsItsRowCountAcrossBuildBatchesAndEdits() {
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < ViewPass.BATCH_DOCUMENTS + 500; i++) {
            docs.add(doc(PARTITIONS[i % 3], i));
        }
        db.bulkDocs(docs, true);
        assertTotalsAreTheRows();

        // Edits that remove, add and keep rows; a deletion; a partition emptied of rows.
        String rev = db.get("a:3").path("_rev").asText();
        db.put(Json.parseObject("{\"_id\":\"a:3\",\"_rev\":\"" + rev + "\",\"tags\":[\"x\"]}"));
        db.remove("b:1", db.get("b:1").path("_rev").asText());
        db.put(doc("b", 100_001));
        assertTotalsAreTheRows();

        long before = rowsOf("a");
        db.put(Json.parseObject("{\"_id\":\"a:new\",\"tags\":[\"x\",\"y\",\"x\"]}"));
        ViewResult withNew = query("a", ViewQuery.builder().key(Json.parse("\"y\"")).build());
        assertEquals(before + 3, withNew.totalRows());
        assertEquals(1, withNew.rows().size());
    }

    @Test
    void aPartitionWithoutRowsCountsZeroAndKeepsNoCount() {
        db.put(Json.parseObject("{\"_id\":\"a:1\",\"tags\":[\"x\"]}"));
        db.put(Json.parseObject("{\"_id\":\"b:1\",\"tags\":[]}"));
        assertEquals(1, query("a", ViewQuery.builder().build()).totalRows());
        assertEquals(0, query("b", ViewQuery.builder().build()).totalRows());
        assertEquals(0, query("never", ViewQuery.builder().build()).totalRows());

        db.remove("a:1", db.get("a:1").path("_rev").asText());
        assertEquals(0, query("a", ViewQuery.builder().build()).totalRows());
        byte[] prefix = ViewKeys.partitionCountsPrefix(design().signature(), 0);
        try (KvCursor cursor = store.scan(ViewSpaces.REDUCE, prefix, ViewKeys.end(prefix), false)) {
            assertFalse(cursor.next(), "a count that reached zero is deleted, not kept");
        }
    }

    @Test
    void theIntegrityCheckRebuildsAnIndexWhosePartitionCountDisagreesWithItsRows() {
        for (int i = 0; i < 30; i++) {
            db.put(doc(PARTITIONS[i % 3], i));
        }
        assertTotalsAreTheRows();
        DesignViews design = design();
        assertTrue(new dev.arbor.engine.index.IndexUpdater(store).verify(design), "a consistent index passes");

        long rowsOfA = rowsOf("a");
        try (KvBatch batch = store.newBatch()) {
            batch.put(ViewSpaces.REDUCE, ViewKeys.partitionCountKey(design.signature(), 0, ViewKeys.partitionKey("a")),
                    ViewKeys.encodeCount(rowsOfA + 1));
            store.commit(batch, false);
        }
        assertEquals(rowsOfA + 1, query("a", ViewQuery.builder().update(ViewQuery.Update.FALSE).build()).totalRows());

        assertEquals(List.of("_design/d"), db.verifyDesignViews(), "what ArborOptions.verifyViews runs on open");
        assertNull(ViewKeys.Checkpoint.read(store, design.signature()), "the index was cleared");
        assertEquals(rowsOfA, query("a", ViewQuery.builder().build()).totalRows(), "and rebuilt by the next query");
        assertNotNull(ViewKeys.Checkpoint.read(store, design.signature()));
        assertEquals(List.of(), db.verifyDesignViews());
    }

    @Test
    void aCountForAPartitionWithoutRowsFailsTheCheckToo() {
        db.put(doc("a", 3));
        rowsOf("a");
        DesignViews design = design();
        try (KvBatch batch = store.newBatch()) {
            batch.put(ViewSpaces.REDUCE, ViewKeys.partitionCountKey(design.signature(), 0, ViewKeys.partitionKey("z")),
                    ViewKeys.encodeCount(2));
            store.commit(batch, false);
        }
        assertFalse(new dev.arbor.engine.index.IndexUpdater(store).verify(design));
    }
}
