package dev.arbor.server.couchdb;

import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

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

    /**
     * CouchDB digests an attachment of a compressible type over the gzip stream it stores it as, and the revision id
     * hashes that digest: Arbor reports the same digest (its data stays plain), inline, in _bulk_docs and standalone.
     */
    @Test
    void compressibleAttachmentsAnswerTheSameDigestsAndRevs() {
        String hello = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8));
        String json = Base64.getEncoder().encodeToString("{\"k\":[1,2]}".getBytes(StandardCharsets.UTF_8));
        String rev = sameRev("PUT", "/revs/text", "{\"_attachments\":{"
                + "\"a.txt\":{\"content_type\":\"text/plain\",\"data\":\"" + hello + "\"},"
                + "\"b.json\":{\"content_type\":\"application/json\",\"data\":\"" + json + "\"}}}");
        assertEquals("1-", rev.substring(0, 2));
        both.assertSame("POST", "/revs/_bulk_docs", "{\"docs\":[{\"_id\":\"bulkText\",\"_attachments\":{"
                        + "\"c.txt\":{\"content_type\":\"text/plain; charset=utf-8\",\"data\":\"" + hello + "\"}}}]}")
                .assertSameValue("/0/rev");
        rev = sameRawRev("PUT", "/revs/text/note.txt?rev=" + rev, "hello", "text/plain; charset=utf-8");
        rev = sameRawRev("PUT", "/revs/text/data.json?rev=" + rev, "{\"k\":[1,2]}", "application/json");
        sameRawRev("PUT", "/revs/standalone/first.txt", "hello", "text/plain");
        for (String doc : new String[] {"text", "bulkText", "standalone"}) {
            CouchDbDifferential.Answers answers = both.assertSame("GET", "/revs/" + doc, null).assertSameValue("/_rev");
            answers.couchJson().path("_attachments").fieldNames().forEachRemaining(name ->
                    answers.assertSameValue("/_attachments/" + name + "/digest"));
        }
        assertEquals(CouchDbDigests.ofGzip("hello".getBytes(StandardCharsets.UTF_8)),
                both.send("GET", "/revs/standalone", null).arborJson().path("_attachments").path("first.txt").path("digest").asText());
    }

    private String sameRawRev(String method, String path, String body, String contentType) {
        Map<String, String> headers = new java.util.HashMap<>(CouchDbDifferential.basic(CouchDbPeer.ADMIN, CouchDbPeer.PASSWORD));
        headers.put("Content-Type", contentType);
        CouchDbDifferential.Answers answers = both.sendWithHeaders(method, path, body, headers).assertSameShape()
                .assertSameValue("/rev");
        return answers.couchJson().path("rev").asText();
    }
}
