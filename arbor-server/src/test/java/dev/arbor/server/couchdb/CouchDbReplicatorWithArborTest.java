package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import dev.arbor.server.couchdb.InteropProof.Direction;
import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CouchDB 3.5's own replicator with Arbor as the other end, both ways: started with {@code POST /_replicate}
 * on CouchDB and with a {@code _replicator} document on CouchDB. Each proof runs {@link InteropProof} on
 * a fresh database pair (conflicts on both sides, attachments up to 4 MiB, escaped ids, a design document).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CouchDbReplicatorWithArborTest {
    private CouchDbDifferential both;
    private Side couch;
    private Side arbor;

    @BeforeAll
    void start(@TempDir Path dir) {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        both = CouchDbDifferential.start(dir);
        couch = Side.couch(both.couch());
        arbor = Side.arbor(both.arbor());
        ReplicationJobs.startJobsAtOnce(couch);
    }

    @AfterAll
    void stop() {
        if (both != null) {
            both.close();
        }
    }

    @Test
    @Timeout(120)
    void replicatePostedToCouchDbSyncsBothWaysWithArbor() throws Exception {
        String db = InteropProof.uniqueDb("couch-replicate");
        InteropProof.prove(couch, arbor, db, direction ->
                InteropProof.failures(ReplicationJobs.replicate(couch, spec(db, direction))));
    }

    @Test
    @Timeout(120)
    void replicatorDocumentsOnCouchDbSyncBothWaysWithArbor() throws Exception {
        String db = InteropProof.uniqueDb("couch-replicator");
        InteropProof.prove(couch, arbor, db, direction ->
                ReplicationJobs.runDoc(couch, spec(db, direction), Duration.ofSeconds(60)));
    }

    /** The proof's expectations are CouchDB's own: they hold between two databases of the one CouchDB. */
    @Test
    @Timeout(120)
    void theSameProofPassesBetweenTwoCouchDbDatabases() throws Exception {
        Side other = new Side("couchdb-b", couch.url(), couch.http());
        String left = InteropProof.uniqueDb("couch-left");
        String right = InteropProof.uniqueDb("couch-right");
        InteropProof.prove(couch, left, other, right, direction -> InteropProof.failures(ReplicationJobs.replicate(couch,
                direction == Direction.COUCH_TO_ARBOR ? ReplicationJobs.spec(couch.dbUrl(left), couch.dbUrl(right))
                        : ReplicationJobs.spec(couch.dbUrl(right), couch.dbUrl(left)))));
    }

    @Test
    @Timeout(60)
    void couchDbPullingFromArborResumesFromItsCheckpoint() {
        String db = InteropProof.uniqueDb("couch-resume");
        InteropProof.proveResumedPull(couch, arbor, couch, db, spec(db, Direction.ARBOR_TO_COUCH));
    }

    /**
     * Between two CouchDBs a compressible attachment keeps one digest (the MD5 of the gzip stream both store). One
     * written on Arbor gets that digest there, computed as it streams in, though it travels unencoded and CouchDB
     * digests the gzip stream it makes of it: one digest on both sides.
     */
    @Test
    @Timeout(60)
    void aCompressibleAttachmentWrittenOnArborKeepsOneDigestOnCouchDb() {
        String db = InteropProof.uniqueDb("couch-digest");
        arbor.json("PUT", "/" + db, null);
        byte[] text = InteropData.text(100 * 1024);
        ObjectNode doc = Json.object().put("_id", "notes");
        doc.putObject("_attachments").putObject("notes.txt").put("content_type", "text/plain")
                .put("data", Base64.getEncoder().encodeToString(text));
        InteropData.write(arbor, db, List.of(doc));
        ReplicationJobs.replicate(couch, ReplicationJobs.spec(arbor.dbUrl(db), couch.dbUrl(db)).put("create_target", true));

        String onCouch = couch.get("/" + db + "/notes").path("_attachments").path("notes.txt").path("digest").asText();
        String onArbor = arbor.get("/" + db + "/notes").path("_attachments").path("notes.txt").path("digest").asText();
        assertEquals(CouchDbDigests.ofGzip(text), onCouch, "CouchDB digests what it stores");
        assertEquals(onCouch, onArbor, "one digest on both sides");
    }

    private ObjectNode spec(String db, Direction direction) {
        return ReplicationJobs.spec(direction.source(couch, arbor).dbUrl(db), direction.target(couch, arbor).dbUrl(db));
    }
}
