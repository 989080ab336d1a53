package dev.arbor.engine.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.FailingCommitsStore;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.storage.EngineSpaces;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.testkit.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index framework keeps a kind it has never seen ({@link TagIndex}, written in this test against the framework's
 * public types only) as it keeps Mango indexes and views: built from the log in batches, caught up incrementally,
 * read with {@code update=true|false|lazy}, safe when a commit fails mid-build, rebuilt when a purge, a changed
 * definition or an inconsistency makes its rows unusable.
 */
class IndexFrameworkTest {
    private final FailingCommitsStore store = new FailingCommitsStore(
            Stream.concat(EngineSpaces.ALL.stream(), TagIndex.KIND.spaces().stream()).toList());
    private final EngineDatabase db = new EngineDatabase("tags", store, false, () -> {});
    private final IndexUpdater indexes = db.indexUpdater();
    private final TagIndex tags = new TagIndex("tags", 1);
    private final Random random = new Random(7);

    @AfterEach
    void close() {
        db.close();
    }

    private void write(int count) {
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            docs.add(doc("d" + i, randomTags()));
        }
        db.bulkDocs(docs);
    }

    private ObjectNode doc(String id, List<String> tags) {
        ObjectNode doc = Json.parseObject("{\"_id\":\"" + id + "\"}");
        tags.forEach(doc.putArray("tags")::add);
        return doc;
    }

    private List<String> randomTags() {
        List<String> tags = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            tags.add("t" + random.nextInt(20));
        }
        return tags;
    }

    private List<ObjectNode> liveDocs() {
        List<ObjectNode> docs = new ArrayList<>();
        StoredDocs.scanById(store, null, null, false, false, (id, doc) -> docs.add(doc));
        return docs;
    }

    private void assertExact(TagIndex index) {
        try (KvSnapshot snapshot = store.snapshot()) {
            assertEquals(index.expectedRows(liveDocs()), index.rows(snapshot));
            IndexCheckpoint checkpoint = IndexCheckpoint.read(snapshot, index);
            assertEquals(StoredDocs.updateSeq(snapshot), checkpoint.seq());
            assertNull(index.problem(snapshot, checkpoint), "the rows agree with the checkpoint's count");
        }
    }

    private long update(Index index) {
        return indexes.update(index, StoredDocs.state(store));
    }

    @Test
    void aNewKindIsBuiltFromTheLogAndCaughtUpByTheFrameworkAlone() {
        write(3_500);
        assertEquals(db.info().updateSeq().number(), update(tags));
        assertExact(tags);

        List<ObjectNode> edits = new ArrayList<>();
        for (ObjectNode doc : liveDocs()) {
            if (random.nextInt(5) == 0) {
                ObjectNode edit = doc(doc.path("_id").asText(), randomTags());
                edit.put("_rev", doc.path("_rev").asText());
                edits.add(edit);
            } else if (random.nextInt(10) == 0) {
                edits.add(Json.parseObject("{\"_id\":\"" + doc.path("_id").asText() + "\",\"_rev\":\""
                        + doc.path("_rev").asText() + "\",\"_deleted\":true}"));
            }
        }
        db.bulkDocs(edits);
        TagIndex.DECODES.set(0);
        update(tags);
        assertExact(tags);
        long liveEdits = edits.stream().filter(edit -> !edit.has("_deleted")).count();
        assertEquals(liveEdits, TagIndex.DECODES.get(), "an update reads only the documents changed since it");
    }

    @Test
    void indexesUpdatedTogetherShareOnePassAndEachDocumentIsDecodedOnce() {
        write(1_200);
        TagIndex other = new TagIndex("tags", 2);
        TagIndex.DECODES.set(0);
        indexes.update(List.of(tags, other), StoredDocs.state(store));
        assertEquals(1_200, TagIndex.DECODES.get(), "one decode per document, not one per index");
        assertExact(tags);
        assertExact(other);
    }

    @Test
    void readsAreAsFreshAsAsked() throws Exception {
        write(100);
        update(tags);
        db.bulkDocs(List.of(doc("late", List.of("fresh"))));

        List<String> asIs = indexes.read(List.of(tags), IndexUpdater.Freshness.AS_IS, () -> tags.rows(store));
        assertFalse(asIs.contains("fresh late"), "update=false reads the index as it stands");

        List<String> lazy = indexes.read(List.of(tags), IndexUpdater.Freshness.UPDATE_AFTER, () -> tags.rows(store));
        assertFalse(lazy.contains("fresh late"), "update=lazy answers from the index as it stands");
        Eventually.until("the lazy update brings the index up to date", () -> tags.rows(store).contains("fresh late"));

        db.bulkDocs(List.of(doc("later", List.of("fresh"))));
        List<String> updated = indexes.read(List.of(tags), IndexUpdater.Freshness.UPDATE_BEFORE, () -> tags.rows(store));
        assertTrue(updated.contains("fresh later"), "update=true indexes every committed change first");
        assertExact(tags);
    }

    @Test
    void aCommitThatFailsMidBuildLeavesTheIndexAtItsLastCheckpointAndTheNextUpdateFinishesIt() {
        write(4_300);
        // The build clears the checkpoint first, then commits its first batch; the second batch fails.
        store.failAfter(2);
        ArborException failure = assertThrows(ArborException.class, () -> update(tags));
        assertTrue(failure.getMessage().contains("disk full"), failure.getMessage());
        try (KvSnapshot snapshot = store.snapshot()) {
            IndexCheckpoint checkpoint = IndexCheckpoint.read(snapshot, tags);
            assertTrue(checkpoint.seq() > 0 && checkpoint.seq() < StoredDocs.updateSeq(snapshot),
                    "the checkpoint of the last batch that committed: " + checkpoint);
            assertNull(tags.problem(snapshot, checkpoint), "the rows are exactly the checkpoint's");
        }

        store.heal();
        update(tags);
        assertExact(tags);
    }

    @Test
    void aChangedDefinitionIsANewIndexAndTheOldOnesDataIsDroppedByACleanup() {
        write(300);
        update(tags);
        TagIndex changed = new TagIndex("tags", 2);
        assertNotEquals(ByteBuffer.wrap(tags.signature()), ByteBuffer.wrap(changed.signature()));
        update(changed);
        assertExact(changed);

        for (ByteBuffer signature : IndexUpdater.storedSignatures(store, TagIndex.KIND, 16)) {
            if (!signature.equals(ByteBuffer.wrap(changed.signature()))) {
                indexes.drop(TagIndex.KIND, signature.array());
                indexes.forget(TagIndex.KIND, signature.array());
            }
        }
        assertEquals(List.of(), tags.rows(store), "the old definition's rows are gone");
        assertNull(IndexCheckpoint.read(store, tags), "and its checkpoint");
        assertEquals(java.util.Set.of(ByteBuffer.wrap(changed.signature())),
                IndexUpdater.storedSignatures(store, TagIndex.KIND, 16));
        assertExact(changed);
    }

    @Test
    void aPurgeRebuildsTheIndexSoPurgedDocumentsLeaveNoRows() {
        db.bulkDocs(List.of(doc("gone", List.of("x")), doc("kept", List.of("x"))));
        update(tags);
        db.purge(Map.of("gone", List.of(db.get("gone").path("_rev").asText())));
        update(tags);
        assertEquals(List.of("x kept"), tags.rows(store));
        assertExact(tags);
    }

    @Test
    void verifyClearsAnIndexWhoseDataDisagreesAndTheNextUpdateRebuildsIt() {
        write(500);
        update(tags);
        assertTrue(indexes.verify(tags), "a consistent index passes");

        String row = tags.rows(store).get(0).replace(' ', '\u0000');
        try (KvBatch batch = store.newBatch()) {
            byte[] key = java.util.Arrays.copyOf(tags.signature(), 16 + row.getBytes().length);
            System.arraycopy(row.getBytes(), 0, key, 16, row.getBytes().length);
            batch.delete(TagIndex.ROWS, key);
            store.commit(batch, false);
        }
        assertFalse(indexes.verify(tags), "a lost row is found");
        assertNull(IndexCheckpoint.read(store, tags), "and the index cleared");
        update(tags);
        assertExact(tags);
    }

    @Test
    void aCheckpointThatDoesNotFitTheDefinitionIsRebuiltNotContinued() {
        write(200);
        update(tags);
        try (KvBatch batch = store.newBatch()) {
            IndexCheckpoint stored = IndexCheckpoint.read(store, tags);
            batch.put(DocSpaces.META, TagIndex.KIND.checkpointKey(tags.signature()),
                    new IndexCheckpoint(stored.seq(), stored.purgeSeq(), new byte[] {1}).encode());
            store.commit(batch, false);
        }
        db.bulkDocs(List.of(doc("new", List.of("n"))));
        TagIndex.DECODES.set(0);
        update(tags);
        assertEquals(liveDocs().size(), TagIndex.DECODES.get(), "every document mapped again");
        assertExact(tags);
    }
}
