package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.replication.ReplicationOptions;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.replication.Replicator;
import dev.arbor.server.couchdb.InteropProof.Direction;
import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Arbor's replicator with a real CouchDB 3.5 as the other end, both ways: {@code POST /_replicate} on Arbor,
 * a {@code _replicator} document on Arbor, and the Java {@link Replicator} between Arbor's storage and the
 * remote client. Arbor's database is named locally, CouchDB's by URL, as a user of an Arbor server would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArborReplicatorWithCouchDbTest {
    private CouchDbDifferential both;
    private Side couch;
    private Side arbor;
    private RemoteStorage couchClient;

    @BeforeAll
    void start(@TempDir Path dir) {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        both = CouchDbDifferential.start(dir);
        couch = Side.couch(both.couch());
        arbor = Side.arbor(both.arbor());
        ReplicationJobs.startJobsAtOnce(couch);
        // CouchDB's setup creates _replicator; on Arbor, as on a CouchDB set up by hand, the user creates it.
        arbor.request("PUT", "/_replicator", null);
        couchClient = new RemoteStorage(URI.create(both.couch().adminUrl()), RemoteOptions.DEFAULT);
    }

    @AfterAll
    void stop() {
        if (couchClient != null) {
            couchClient.close();
        }
        if (both != null) {
            both.close();
        }
    }

    @Test
    @Timeout(120)
    void replicatePostedToArborSyncsBothWaysWithCouchDb() throws Exception {
        String db = InteropProof.uniqueDb("arbor-replicate");
        InteropProof.prove(couch, arbor, db, direction ->
                InteropProof.failures(ReplicationJobs.replicate(arbor, spec(db, direction))));
    }

    @Test
    @Timeout(120)
    void replicatorDocumentsOnArborSyncBothWaysWithCouchDb() throws Exception {
        String db = InteropProof.uniqueDb("arbor-replicator");
        InteropProof.prove(couch, arbor, db, direction ->
                ReplicationJobs.runDoc(arbor, spec(db, direction), Duration.ofSeconds(60)));
    }

    @Test
    @Timeout(120)
    void javaReplicatorWithTheRemoteClientSyncsBothWaysWithCouchDb() throws Exception {
        String db = InteropProof.uniqueDb("arbor-java");
        InteropProof.prove(couch, arbor, db, direction -> {
            Database remote = couchClient.database(db);
            Database local = both.arbor().storage().database(db);
            ReplicationResult result = direction == Direction.COUCH_TO_ARBOR
                    ? Replicator.replicate(remote, local, ReplicationOptions.DEFAULT)
                    : Replicator.replicate(local, remote, ReplicationOptions.DEFAULT);
            assertTrue(result.ok() && result.errors().isEmpty(), result::toString);
            return result.docWriteFailures();
        });
    }

    @Test
    @Timeout(60)
    void arborPullingFromCouchDbResumesFromItsCheckpoint() {
        String db = InteropProof.uniqueDb("arbor-resume");
        InteropProof.proveResumedPull(arbor, couch, arbor, db, spec(db, Direction.COUCH_TO_ARBOR));
    }

    /** Arbor's database by its local name, CouchDB's by URL. */
    private ObjectNode spec(String db, Direction direction) {
        String onCouch = couch.dbUrl(db);
        return direction == Direction.COUCH_TO_ARBOR ? ReplicationJobs.spec(onCouch, db) : ReplicationJobs.spec(db, onCouch);
    }
}
