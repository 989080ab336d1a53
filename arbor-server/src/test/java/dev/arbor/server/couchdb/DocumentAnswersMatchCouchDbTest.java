package dev.arbor.server.couchdb;

import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
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

    @Test
    void aRepeatedJsonMemberIsAcceptedWithTheLastOneWinningOnEveryParsePath() {
        both.assertSame("PUT", "/dups", null);
        both.assertSame("PUT", "/dups/a", "{\"x\":1,\"x\":2}");
        both.assertSame("GET", "/dups/a", null).assertSameValue("/x");
        both.assertSame("POST", "/dups/_bulk_docs", "{\"docs\":[{\"_id\":\"b\",\"y\":1,\"y\":[2]}],\"docs\":[{\"_id\":\"c\"}]}");
        both.assertSame("GET", "/dups/b", null);
        both.assertSame("GET", "/dups/c", null);
        // CouchDB's continuous replicator can name one id twice in a _revs_diff
        both.assertSame("POST", "/dups/_revs_diff", "{\"a\":[\"1-abc\"],\"a\":[\"2-def\"]}").assertSameValue("/a/missing");
        both.assertSame("POST", "/dups/_bulk_get", "{\"docs\":[{\"id\":\"b\",\"id\":\"c\"}]}");
        both.assertSame("POST", "/dups/_index", "{\"index\":{\"fields\":[\"y\"]},\"index\":{\"fields\":[\"x\"]},\"name\":\"by-x\"}");
        both.assertSame("POST", "/dups/_find", "{\"selector\":{\"y\":{\"$gt\":0}},\"selector\":{\"x\":2},\"fields\":[\"x\"]}")
                .assertSameValue("/docs");
    }

    @Test
    void malformedJsonIsBadRequestWithCouchDbsReasonLeadingAndTheProblemAfter() {
        both.assertSame("PUT", "/badjson", null);
        for (String body : new String[] {"{\"x\":1,", "{\"x\":tru}", "", "{\"a\":1} 2"}) {
            var answers = both.assertSame("PUT", "/badjson/a", body);
            String reason = answers.arborJson().path("reason").asText();
            assertTrue(reason.startsWith(answers.couchJson().path("reason").asText() + ": "), reason);
        }
        both.assertSame("POST", "/badjson/_bulk_docs", "nope");
        both.assertSame("POST", "/badjson/_revs_diff", "{\"a\":");
        both.assertSame("POST", "/badjson/_find", "{\"selector\":");
        both.assertSame("GET", "/badjson/_all_docs?startkey=", null);
        both.assertSame("GET", "/badjson/_all_docs?keys=%5B%22a%22,", null);
    }
}
