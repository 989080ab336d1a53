package dev.arbor.server.couchdb;

import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The base of the differential test classes: one CouchDB and one served Arbor for the whole class (a CouchDB
 * start costs a second or two), skipped with one line where the machine has no CouchDB peer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AnswersMatchCouchDb {
    CouchDbDifferential both;

    @BeforeAll
    final void startBoth(@TempDir Path dir) {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        both = CouchDbDifferential.start(dir);
        prepare(dir);
    }

    /** What every test of the class needs on both servers, made once; {@code dir} holds both servers' files. */
    void prepare(Path dir) {}

    @AfterAll
    final void stopBoth() {
        if (both != null) {
            both.close();
        }
    }
}
