package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.core.json.Json;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.index.IndexCheckpoint;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query reads a document from the document cache only for the version its index row names, and only when its
 * snapshot is known to hold that version: a document changed, deleted or purged since the index was brought up
 * to date is read from the store, whatever the cache holds from earlier queries.
 */
class CachedDocumentVersionsTest {
    private static final FindRequest ACTIVE = FindRequest.of(Json.parse("{\"a\":{\"$gte\":0},\"active\":true}"));

    private MemoryKvStore store;
    private EngineDatabase db;

    @BeforeEach
    void open() {
        store = new MemoryKvStore(EngineSpaces.ALL);
        db = new EngineDatabase("db", store, false, () -> {});
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            docs.add((ObjectNode) Json.parse(String.format("{\"_id\":\"d%03d\",\"a\":%d,\"active\":%b,\"v\":1}", i, i, i < 3)));
        }
        db.bulkDocs(docs);
        db.createIndex(IndexDefinition.of("a").ddoc("q").name("a"));
        assertEquals(List.of("d000", "d001", "d002"), ids(db.find(ACTIVE)), "every candidate read once: now cached");
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static List<String> ids(FindResult result) {
        return result.docs().stream().map(d -> d.get("_id").asText()).toList();
    }

    private void change(String id, String field, boolean value) {
        ObjectNode doc = db.get(id);
        doc.put(field, value);
        db.put(doc);
    }

    @Test
    void aDocumentChangedAfterTheIndexWasUpdatedIsJudgedAsTheSnapshotHoldsIt() {
        change("d001", "active", false);
        change("d100", "active", true);
        FindRequest stale = ACTIVE.update(false);
        assertEquals(List.of("d000", "d002", "d100"), ids(db.find(stale)), "the index lags; the documents do not");
        assertEquals(List.of("d000", "d002", "d100"), ids(db.find(ACTIVE)));
    }

    @Test
    void aRowRewrittenForANewVersionNeverServesTheCachedOldOne() {
        ObjectNode doc = db.get("d002");
        doc.put("v", 2);
        db.put(doc);
        FindResult result = db.find(ACTIVE);
        assertEquals(List.of("d000", "d001", "d002"), ids(result));
        assertEquals(2, result.docs().get(2).get("v").asInt());
        assertEquals(db.get("d002").get("_rev").asText(), result.docs().get(2).get("_rev").asText(),
                "the page carries the document's current revision");
    }

    @Test
    void deletedAndPurgedDocumentsAreNotReturnedFromTheCache() {
        change("d000", "_deleted", true);
        ObjectNode purged = db.get("d001");
        db.purge(Map.of("d001", List.of(purged.get("_rev").asText())));
        assertEquals(List.of("d002"), ids(db.find(ACTIVE.update(false))));
        assertEquals(List.of("d002"), ids(db.find(ACTIVE)));
    }

    @Test
    void rowsWrittenBeforeTheyNamedVersionsAreStillReadAndRebuiltOnTheNextUpdate() {
        MangoIndex index = MangoIndex.of("_design/q", "a", List.of("a"), null, false);
        byte[] checkpointKey = MangoSpaces.KIND.checkpointKey(index.signature());
        IndexCheckpoint checkpoint = IndexCheckpoint.read(store, index);
        // Rewrite the index as the previous layout stored it: each row's value the bare id, a 16-byte checkpoint.
        try (KvBatch batch = store.newBatch();
             KvCursor rows = store.scan(MangoSpaces.ROWS, IndexRows.start(index.signature()), IndexRows.end(index.signature()), false)) {
            while (rows.next()) {
                batch.put(MangoSpaces.ROWS, rows.key(), IndexRows.RowValue.decode(rows.value()).docId().getBytes());
            }
            batch.put(DocSpaces.META, checkpointKey, ByteBuffer.allocate(16).putLong(checkpoint.seq()).putLong(checkpoint.purgeSeq()).array());
            store.commit(batch, false);
        }
        assertFalse(index.fits(IndexCheckpoint.read(store, index).state()), "a checkpoint of the older layout");

        change("d001", "active", false);
        assertEquals(List.of("d000", "d002"), ids(db.find(ACTIVE.update(false))), "legacy rows name no version");
        assertEquals(List.of("d000", "d002"), ids(db.find(ACTIVE)));
        assertTrue(index.fits(IndexCheckpoint.read(store, index).state()), "rebuilt");
        try (KvCursor rows = store.scan(MangoSpaces.ROWS, IndexRows.start(index.signature()), IndexRows.end(index.signature()), false)) {
            int count = 0;
            while (rows.next()) {
                assertTrue(IndexRows.RowValue.decode(rows.value()).seq() > 0, "every row names its document's version");
                count++;
            }
            assertEquals(300, count);
        }
    }
}
