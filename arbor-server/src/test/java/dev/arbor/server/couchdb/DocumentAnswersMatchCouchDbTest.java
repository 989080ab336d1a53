package dev.arbor.server.couchdb;

import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Documents: the everyday requests answer as CouchDB 3.5 answers them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocumentAnswersMatchCouchDbTest {
    CouchDbDifferential both;

    @BeforeAll
    void start(@TempDir Path dir) {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        both = CouchDbDifferential.start(dir);
    }

    @AfterAll
    void stop() {
        if (both != null) {
            both.close();
        }
    }

    @Test
    void createWriteReadAndConflict() {
        both.assertSame("PUT", "/smoke", null);
        both.assertSame("PUT", "/smoke", null);
        both.assertSame("PUT", "/smoke/a", "{\"a\":1}");
        both.assertSame("GET", "/smoke/a", null);
        both.assertSame("PUT", "/smoke/a", "{\"a\":2}");
        both.assertSame("GET", "/smoke/nothing", null);
        both.assertSame("POST", "/smoke/_bulk_docs", "{\"docs\":[{\"_id\":\"b\"},{\"_id\":\"c\",\"x\":[1,2]}]}");
    }
}
