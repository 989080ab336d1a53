package dev.arbor.server.replicator.proof;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.Storage;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.core.json.Json;
import dev.arbor.replication.ReplicationOptions;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.replication.Replicator;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source without {@code _bulk_get}: Arbor's server behind {@link CouchDb1xProxy}, which refuses
 * {@code _bulk_get} as CouchDB 1.x does. The replicator asks once, then fetches every document with an
 * {@code open_revs} read (multipart/mixed, attachments as raw bytes), and the trees end up the same.
 */
class OpenRevsFallbackTest {
    private static final int DOCS = 1_000;
    /** Documents 0, 7, 14, ...: each has a second leaf. */
    private static final int CONFLICTED = (DOCS + 6) / 7;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aSourceWithoutBulkGetIsReadWithOpenRevsOnceAskedAndTheTreesConverge() throws Exception {
        Storage storage = Arbor.storage(dir.resolve("data"));
        try (ArborServer server = ArborServer.builder(ServerConfig.defaults(dir.resolve("data")).withPort(0).withAccessLog(false), storage).start();
             CouchDb1xProxy proxy = new CouchDb1xProxy(server.uri());
             RemoteStorage throughProxy = new RemoteStorage(proxy.uri(), RemoteOptions.DEFAULT)) {
            Database origin = storage.databaseOrCreate("origin");
            seedWithAttachmentsConflictsAndDeletions(origin);
            Database source = throughProxy.database("origin");
            Database target = storage.databaseOrCreate("copy");

            ReplicationResult result = Replicator.replicate(source, target, ReplicationOptions.DEFAULT.batchSize(100));
            assertEquals(ReplicationResult.Status.COMPLETE, result.status(), result.errors().toString());
            assertEquals(0, result.docWriteFailures(), result.errors().toString());
            assertEquals(1, proxy.bulkGetRefusals.get(), "asked once, then remembered for the following nine batches");
            assertEquals(DOCS + 1, proxy.openRevsReads.get(), "one open_revs read per document");
            assertTrue(proxy.multipartAnswers.get() >= DOCS / 10, "documents with attachments came as multipart/mixed");
            assertEquals(DOCS + 1 + CONFLICTED, result.docsWritten(), "every leaf: each doc's winner, each conflict branch");

            RevisionTrees.assertSame(RevisionTrees.of(origin), RevisionTrees.of(target), "origin and copy");
            for (int n = 0; n < DOCS; n += 10) {
                if (n % 7 == 0 || n % 13 == 0) {
                    continue; // edited without the attachment, or deleted
                }
                assertArrayEquals(attachment(n), target.getAttachment(id(n), "blob.bin", null).readAllBytes(),
                        "the bytes of " + id(n) + "'s attachment");
            }

            ReplicationResult again = Replicator.replicate(source, target, ReplicationOptions.DEFAULT.batchSize(100));
            assertEquals(0, again.docsWritten(), "a second run transfers nothing");
        }
    }

    private static String id(int n) {
        return String.format("doc-%04d", n);
    }

    /** Binary bytes, every value of a byte, so nothing survives that treats them as text. */
    private static byte[] attachment(int n) {
        byte[] bytes = new byte[300 + n];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + n);
        }
        return bytes;
    }

    /**
     * {@link #DOCS} documents, every 10th with a binary attachment, every 7th edited and given a conflicting
     * branch as a replicator would write it ({@code new_edits=false}), every 13th deleted (its winner), and one
     * more document.
     */
    private static void seedWithAttachmentsConflictsAndDeletions(Database db) {
        List<ObjectNode> docs = new ArrayList<>();
        for (int n = 0; n < DOCS; n++) {
            ObjectNode doc = Json.object().put("_id", id(n)).put("n", n);
            if (n % 10 == 0) {
                doc.putObject("_attachments").putObject("blob.bin").put("content_type", "application/octet-stream")
                        .put("data", Base64.getEncoder().encodeToString(attachment(n)));
            }
            docs.add(doc);
        }
        List<DocResult> written = db.bulkDocs(docs);
        List<ObjectNode> branches = new ArrayList<>();
        for (int n = 0; n < DOCS; n += 7) {
            String first = ((DocResult.Ok) written.get(n)).rev();
            db.put(Json.object().put("_id", id(n)).put("_rev", first).put("n", n).put("edited", true));
            ObjectNode branch = Json.object().put("_id", id(n)).put("_rev", "2-" + "b".repeat(32)).put("branch", true);
            branch.putObject("_revisions").put("start", 2).putArray("ids").add("b".repeat(32)).add(first.substring(2));
            branches.add(branch);
        }
        assertEquals(List.of(), db.bulkDocs(branches, false));
        for (int n = 0; n < DOCS; n += 13) {
            db.remove(id(n), db.get(id(n)).get("_rev").asText());
        }
        db.put(Json.object().put("_id", "late").put("text", "written last"));
    }
}
