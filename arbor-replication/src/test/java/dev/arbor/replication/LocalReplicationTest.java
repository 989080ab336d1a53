package dev.arbor.replication;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replication between two local databases, on both engines: the protocol's outcome end to end. */
class LocalReplicationTest {
    private static final int DOCS_ON_A = 9_000;
    private static final int DOCS_ON_B = 1_000;

    @TempDir
    Path dir;
    private Storage storage;

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void tenThousandDocsWithDeletionsAttachmentsAndConflictsOnBothSidesConvergeAndASecondRunTransfersNothing(Engine engine) {
        storage = engine.storage(dir);
        Database a = storage.createDatabase("a");
        Database b = storage.createDatabase("b");
        writeDocs(a, "a-", DOCS_ON_A);
        writeDocs(b, "b-", DOCS_ON_B);
        deleteEvery(a, "a-", DOCS_ON_A, 20);

        SyncResult first = Replicator.sync(a, b, ReplicationOptions.DEFAULT);
        assertTrue(first.ok());
        assertEquals(DOCS_ON_A, first.push().docsWritten(), "every doc of a, deleted ones as tombstones");
        assertEquals(DOCS_ON_B, first.pull().docsWritten());

        // Concurrent edits on both sides: conflicts, a deleted losing branch, and attachments added to
        // docs the other side already has (only the new attachment must travel).
        editBothSides(a, b);

        SyncResult second = Replicator.sync(a, b, ReplicationOptions.DEFAULT);
        assertTrue(second.ok());
        assertEquals(0, second.push().docWriteFailures() + second.pull().docWriteFailures());
        assertTrue(second.push().docsWritten() > 0 && second.pull().docsWritten() > 0);

        int compared = Convergence.assertSameDocuments(a, b);
        assertEquals(DOCS_ON_A + DOCS_ON_B, compared);
        ObjectNode conflicted = a.get("a-00007", GetOptions.DEFAULT.conflicts(true));
        assertEquals(1, conflicted.get("_conflicts").size(), "edits on both sides left a conflict");

        // Nothing left to do: nothing is fetched or written. The push still reads the changes its own
        // reverse direction wrote into a (that is what "since the checkpoint" holds); after that, nothing.
        SyncResult third = Replicator.sync(a, b, ReplicationOptions.DEFAULT);
        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(third.push().docsRead(), third.push().docsWritten(),
                third.pull().docsRead(), third.pull().docsWritten()));
        assertEquals(second.pull().docsWritten(), third.push().changesRead(),
                "the push reads exactly the changes the previous pull made in a");
        assertEquals(0, third.pull().changesRead());
        ReplicationResult fourth = Replicator.replicate(a, b, ReplicationOptions.DEFAULT);
        assertEquals(List.of(0L, 0L, 0L), List.of(fourth.changesRead(), fourth.docsRead(), fourth.docsWritten()));
        assertEquals(a.info().updateSeq(), fourth.startSeq(), "resumed from the checkpoint at a's current seq");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    @SuppressWarnings("unchecked")
    void attachmentsArriveByteForByteAndOnlyNewOnesTravel(Engine engine) {
        storage = engine.storage(dir);
        Database a = storage.createDatabase("a");
        Database b = storage.createDatabase("b");
        byte[] big = new byte[3 * (1 << 20)];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + i / 1000);
        }
        DocResult.Ok first = a.put(Json.parseObject("{\"_id\":\"photo\",\"title\":\"sea\"}"));
        DocResult.Ok withBig = a.putAttachment("photo", first.rev(), "big.bin", "application/octet-stream", new java.io.ByteArrayInputStream(big));
        assertTrue(Replicator.replicate(a, b, ReplicationOptions.DEFAULT).ok());
        assertArrayEqualsFrom(b, "photo", "big.bin", big);

        // A small attachment added on top: the replicated revision names the big one as a stub, which the
        // target resolves from the revision it already has.
        byte[] small = "thumbnail".getBytes(StandardCharsets.UTF_8);
        a.putAttachment("photo", withBig.rev(), "thumb.txt", "text/plain", new java.io.ByteArrayInputStream(small));
        List<String> fetched = new ArrayList<>();
        Database observedA = InterceptedDatabase.wrap(a, new InterceptedDatabase.Hook() {
            @Override
            public void after(String method, Object result) {
                if (method.equals("bulkGet")) {
                    for (BulkGetResult answer : (List<BulkGetResult>) result) {
                        for (BulkGetResult.Entry entry : answer.docs()) {
                            ((BulkGetResult.Ok) entry).doc().get("_attachments").fields().forEachRemaining(att ->
                                    fetched.add(att.getKey() + (att.getValue().has("data") ? " with data" : " as stub")));
                        }
                    }
                }
            }
        });
        ReplicationResult second = Replicator.replicate(observedA, b, ReplicationOptions.DEFAULT);
        assertEquals(1, second.docsWritten());
        // A standalone PUT puts the new attachment first, as CouchDB does.
        assertEquals(List.of("thumb.txt with data", "big.bin as stub"), fetched,
                "atts_since = the target's leaf: only the attachment the target lacks travels");
        assertArrayEqualsFrom(b, "photo", "big.bin", big);
        assertArrayEqualsFrom(b, "photo", "thumb.txt", small);
        Convergence.assertSameDocuments(a, b);
    }

    private static void assertArrayEqualsFrom(Database db, String id, String name, byte[] expected) {
        byte[] actual = db.getAttachment(id, name, null).readAllBytes();
        assertEquals(expected.length, actual.length);
        assertTrue(java.util.Arrays.equals(expected, actual), name + " arrives intact");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void checkpointsLieOnBothSidesInCouchDbsFormat(Engine engine) {
        storage = engine.storage(dir);
        Database a = storage.createDatabase("a");
        Database b = storage.createDatabase("b");
        writeDocs(a, "a-", 120);
        ReplicationResult result = Replicator.replicate(a, b, ReplicationOptions.DEFAULT.batchSize(50));
        ReplicationId id = ReplicationId.of(a, b, ReplicationOptions.DEFAULT);
        ObjectNode onSource = a.getLocal(id.checkpointDocId());
        ObjectNode onTarget = b.getLocal(id.checkpointDocId());
        for (ObjectNode log : List.of(onSource, onTarget)) {
            assertEquals(result.sessionId(), log.get("session_id").asText());
            assertEquals(a.info().updateSeq().number(), log.get("source_last_seq").asLong());
            assertEquals(result.sessionId(), log.get("history").get(0).get("session_id").asText());
            assertEquals(a.info().updateSeq().number(), log.get("history").get(0).get("recorded_seq").asLong());
            assertEquals(120, log.get("history").get(0).get("docs_written").asLong());
        }
        writeDocs(a, "c-", 10);
        ReplicationResult next = Replicator.replicate(a, b, ReplicationOptions.DEFAULT);
        ObjectNode log = b.getLocal(id.checkpointDocId());
        assertEquals(2, log.get("history").size(), "a new session is added in front of the old one");
        assertEquals(next.sessionId(), log.get("history").get(0).get("session_id").asText());
        assertEquals(result.sessionId(), log.get("history").get(1).get("session_id").asText());
    }

    // ---- data ----------------------------------------------------------------------------------

    static void writeDocs(Database db, String prefix, int count) {
        List<ObjectNode> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode doc = Json.object();
            doc.put("_id", prefix + String.format("%05d", i));
            doc.put("n", i);
            doc.put("city", "city-" + (i % 37));
            if (i % 50 == 0) {
                ObjectNode att = doc.putObject("_attachments").putObject("note.txt");
                att.put("content_type", "text/plain");
                att.put("data", Base64.getEncoder().encodeToString(("note of " + prefix + i).getBytes(StandardCharsets.UTF_8)));
            }
            batch.add(doc);
            if (batch.size() == 1000) {
                db.bulkDocs(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            db.bulkDocs(batch);
        }
    }

    private static void deleteEvery(Database db, String prefix, int count, int every) {
        for (int i = 0; i < count; i += every) {
            String id = prefix + String.format("%05d", i);
            db.remove(id, db.get(id).get("_rev").asText());
        }
    }

    /** On a: live docs 7k get an edit; on b the same docs get another edit, every 14k a deletion, every 21k an attachment. */
    private static void editBothSides(Database a, Database b) {
        List<ObjectNode> onA = new ArrayList<>();
        List<ObjectNode> onB = new ArrayList<>();
        for (int i = 7; i < 2_000; i += 7) {
            if (i % 20 == 0) {
                continue; // deleted on a already
            }
            String id = "a-" + String.format("%05d", i);
            ObjectNode docA = a.get(id);
            docA.put("edited", "on a");
            onA.add(docA);
            ObjectNode docB = b.get(id);
            if (i % 14 == 0) {
                docB.put("_deleted", true);
            } else {
                docB.put("edited", "on b");
            }
            if (i % 21 == 0) {
                ObjectNode att = docB.withObject("/_attachments").putObject("extra.txt");
                att.put("content_type", "text/plain");
                att.put("data", Base64.getEncoder().encodeToString(("extra " + i).getBytes(StandardCharsets.UTF_8)));
            }
            onB.add(docB);
        }
        // b's own docs edited on a too, so conflicts arise in both directions.
        for (int i = 3; i < DOCS_ON_B; i += 30) {
            String id = "b-" + String.format("%05d", i);
            ObjectNode docA = a.get(id);
            docA.put("edited", "on a");
            onA.add(docA);
            ObjectNode docB = b.get(id);
            docB.put("edited", "on b");
            onB.add(docB);
        }
        assertFalse(a.bulkDocs(onA).stream().anyMatch(r -> r instanceof DocResult.Error));
        assertFalse(b.bulkDocs(onB).stream().anyMatch(r -> r instanceof DocResult.Error));
    }
}
