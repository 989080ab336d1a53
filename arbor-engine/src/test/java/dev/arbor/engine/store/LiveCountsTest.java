package dev.arbor.engine.store;


import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsResult;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code _all_docs}'s offset and a partition's total_rows come from live counts per id range, kept by the writer
 * with every change of a document's liveness; they must always equal counting the live documents one by one.
 */
class LiveCountsTest {
    private static final int DOCS = 5 * LiveCounts.SPLIT_AT;

    @Test
    void offsetsEqualCountingLiveDocumentsAfterRandomCreatesDeletesUndeletesConflictsAndPurges() {
        MemoryKvStore store = new MemoryKvStore(EngineSpaces.ALL);
        try (EngineDatabase db = new EngineDatabase("counts", store, false, () -> {})) {
            Random random = new Random(42);
            Map<String, String> revs = new HashMap<>();
            List<ObjectNode> batch = new ArrayList<>();
            for (int i = 0; i < DOCS; i++) {
                batch.add(Json.parseObject("{\"_id\": \"" + id(random.nextInt(DOCS * 2)) + "\", \"n\": " + i + "}"));
                if (batch.size() == 500) {
                    write(db, batch, revs);
                }
            }
            write(db, batch, revs);
            for (int round = 0; round < 6; round++) {
                List<String> ids = new ArrayList<>(revs.keySet());
                ids.sort(null);
                for (int k = 0; k < 300; k++) {
                    String id = ids.get(random.nextInt(ids.size()));
                    String rev = revs.get(id);
                    switch (random.nextInt(4)) {
                        case 0 -> {
                            if (rev != null) {
                                db.remove(id, rev);
                            }
                        }
                        case 1 -> db.put(Json.parseObject("{\"_id\": \"" + id + "\"" + (rev == null ? "" : ", \"_rev\": \"" + rev + "\"") + ", \"k\": " + k + "}"));
                        case 2 -> db.bulkDocs(List.of(Json.parseObject("{\"_id\": \"" + id + "\", \"_rev\": \"9-" + "a".repeat(32)
                                + "\", \"_deleted\": " + random.nextBoolean() + ", \"_revisions\": {\"start\": 9, \"ids\": [\"" + "a".repeat(32) + "\"]}}")), false);
                        default -> {
                            if (rev != null) {
                                db.purge(Map.of(id, List.of(rev)));
                            }
                        }
                    }
                    revs.put(id, currentRev(db, id));
                }
                assertOffsetsMatchCounting(db, random);
            }
            assertTrue(buckets(store) >= 4, "buckets split as they grew: " + buckets(store));
        }
    }

    @Test
    void aDatabaseWrittenBeforeLiveCountsGetsThemCountedOnOpen() {
        MemoryKvStore store = new MemoryKvStore(EngineSpaces.ALL);
        EngineDatabase first = new EngineDatabase("old", store, false, () -> {});
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < 3 * LiveCounts.SPLIT_AT; i++) {
            docs.add(Json.parseObject("{\"_id\": \"" + id(i) + "\"}"));
        }
        first.bulkDocs(docs);
        first.remove(id(7), first.get(id(7)).get("_rev").asText());
        first.close();
        byte[] prefix = "live/".getBytes(StandardCharsets.UTF_8);
        try (KvBatch forget = store.newBatch(); KvCursor cursor = store.scan(DocSpaces.META, prefix, LiveCounts.PREFIX_END, false)) {
            while (cursor.next()) {
                forget.delete(DocSpaces.META, cursor.key());
            }
            store.commit(forget, true);
        }

        EngineDatabase reopened = new EngineDatabase("old", store, false, () -> {});
        assertEquals(1_000 - 1, reopened.allDocs(AllDocsOptions.DEFAULT.startkey(id(1_000)).limit(1)).offset());
        assertOffsetsMatchCounting(reopened, new Random(7));
        reopened.close();
    }

    /** The winning revision of a live document, null when it is deleted or gone. */
    private static String currentRev(Database db, String id) {
        try {
            return db.get(id).get("_rev").asText();
        } catch (dev.arbor.core.error.ArborException e) {
            return null;
        }
    }

    private static int buckets(MemoryKvStore store) {
        int buckets = 0;
        try (KvCursor cursor = store.scan(DocSpaces.META, "live/".getBytes(StandardCharsets.UTF_8), LiveCounts.PREFIX_END, false)) {
            while (cursor.next()) {
                buckets++;
            }
        }
        return buckets;
    }

    private static void write(Database db, List<ObjectNode> batch, Map<String, String> revs) {
        for (DocResult result : db.bulkDocs(batch)) {
            if (result instanceof DocResult.Ok ok) {
                revs.put(ok.id(), ok.rev());
            }
        }
        batch.clear();
    }

    private static void assertOffsetsMatchCounting(Database db, Random random) {
        TreeMap<String, Boolean> live = new TreeMap<>();
        db.allDocs(AllDocsOptions.DEFAULT).rows().forEach(row -> live.put(row.id(), true));
        assertTrue(live.size() > LiveCounts.SPLIT_AT, "enough documents for several buckets");
        for (int probe = 0; probe < 60; probe++) {
            String start = id(random.nextInt(DOCS * 2));
            AllDocsResult ascending = db.allDocs(AllDocsOptions.DEFAULT.startkey(start).limit(1));
            assertEquals(live.headMap(start, false).size(), ascending.offset(), "offset ascending from " + start);
            AllDocsResult descending = db.allDocs(AllDocsOptions.DEFAULT.startkey(start).descending(true).limit(1));
            assertEquals(live.tailMap(start, false).size(), descending.offset(), "offset descending from " + start);
            assertEquals(live.size(), ascending.totalRows());
        }
    }

    private static String id(int n) {
        return String.format("doc-%06d", n);
    }
}
