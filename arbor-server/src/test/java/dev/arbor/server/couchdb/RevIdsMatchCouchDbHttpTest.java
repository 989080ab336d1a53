package dev.arbor.server.couchdb;

import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Over HTTP, the same edits get the same revision ids from CouchDB 3.5 and from Arbor served as arbor serve serves it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevIdsMatchCouchDbHttpTest {
    CouchDbDifferential both;

    @BeforeAll
    void start(@TempDir Path dir) {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        both = CouchDbDifferential.start(dir);
        both.assertSame("PUT", "/revs", null);
    }

    @AfterAll
    void stop() {
        if (both != null) {
            both.close();
        }
    }

    private String sameRev(String method, String path, String body) {
        CouchDbDifferential.Answers answers = both.assertSame(method, path, body).assertSameValue("/rev");
        return answers.couchJson().path("rev").asText();
    }

    @Test
    void putPostDeleteAndBulkDocsAnswerTheSameRevs() {
        String rev = sameRev("PUT", "/revs/a", "{\"a\":1}");
        assertEquals("1-23202479633c2b380f79507a776743d5", rev);
        rev = sameRev("PUT", "/revs/a", "{\"_rev\":\"" + rev + "\",\"n\":{\"x\":[1.5e1,-0,\"\\u00e9\"]},\"big\":1e300}");
        rev = sameRev("DELETE", "/revs/a?rev=" + rev, null);
        sameRev("PUT", "/revs/a", "{\"back\":true}");
        sameRev("PUT", "/revs/b", "{\"_attachments\":{\"x.bin\":{\"content_type\":\"image/png\",\"data\":\"AAEC\"}}}");
        both.assertSame("POST", "/revs/_bulk_docs",
                        "{\"docs\":[{\"_id\":\"c\",\"v\":[0,255]},{\"_id\":\"d\",\"_deleted\":true,\"gone\":1}]}")
                .assertSameValue("/0/rev").assertSameValue("/1/rev");
    }
}
