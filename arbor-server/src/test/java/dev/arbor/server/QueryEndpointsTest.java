package dev.arbor.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.testkit.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** _all_docs and its kin, the bulk paths the replicator uses, and the built-in _changes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryEndpointsTest {
    private static final AtomicInteger NEXT = new AtomicInteger();
    TestServer server;
    String db;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = TestServer.start(data);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @BeforeEach
    void createDatabaseWithThreeDocs() throws Exception {
        db = "/query" + NEXT.incrementAndGet();
        server.request("PUT", db);
        var reply = server.request("POST", db + "/_bulk_docs",
                "{\"docs\":[{\"_id\":\"a\",\"n\":1},{\"_id\":\"b\",\"n\":2},{\"_id\":\"c\",\"n\":3}]}");
        assertEquals(201, reply.status());
    }

    private static String ids(JsonNode body) {
        StringBuilder out = new StringBuilder();
        body.path("rows").forEach(row -> out.append(row.path("id").asText(row.path("key").asText())));
        return out.toString();
    }

    @Test
    void allDocsWithAttachmentsTrueInlinesTheDataOfIncludedDocs() throws Exception {
        server.request("PUT", db + "/d", "{\"_attachments\":{\"t.txt\":{\"content_type\":\"text/plain\",\"data\":\"aGVsbG8=\"}}}");
        JsonNode inlined = server.request("GET", db + "/_all_docs?include_docs=true&attachments=true&key=%22d%22").json();
        JsonNode att = inlined.path("rows").get(0).path("doc").path("_attachments").path("t.txt");
        assertEquals("aGVsbG8=", att.path("data").asText());
        assertTrue(att.path("stub").isMissingNode());
        JsonNode stubbed = server.request("GET", db + "/_all_docs?include_docs=true&key=%22d%22").json();
        assertTrue(stubbed.path("rows").get(0).path("doc").path("_attachments").path("t.txt").path("stub").asBoolean());
    }

    @Test
    void allDocsListsRowsInIdOrderWithTotals() throws Exception {
        var reply = server.request("GET", db + "/_all_docs");
        assertEquals(200, reply.status());
        JsonNode body = reply.json();
        assertEquals(3, body.path("total_rows").asInt());
        assertEquals(0, body.path("offset").asInt());
        assertEquals("abc", ids(body));
        assertTrue(body.path("rows").get(0).path("value").path("rev").asText().startsWith("1-"));
    }

    @Test
    void allDocsHonoursRangeLimitSkipDescendingAndIncludeDocs() throws Exception {
        assertEquals("bc", ids(server.request("GET", db + "/_all_docs?startkey=%22b%22").json()));
        assertEquals("ab", ids(server.request("GET", db + "/_all_docs?end_key=%22b%22").json()));
        assertEquals("a", ids(server.request("GET", db + "/_all_docs?endkey=%22b%22&inclusive_end=false").json()));
        assertEquals("cb", ids(server.request("GET", db + "/_all_docs?descending=true&limit=2").json()));
        assertEquals("b", ids(server.request("GET", db + "/_all_docs?skip=1&limit=1").json()));
        assertEquals("b", ids(server.request("GET", db + "/_all_docs?key=%22b%22").json()));
        JsonNode withDocs = server.request("GET", db + "/_all_docs?include_docs=true&limit=1").json();
        assertEquals(1, withDocs.path("rows").get(0).path("doc").path("n").asInt());
    }

    @Test
    void allDocsRefusesBadParametersAsCouchDbDoes() throws Exception {
        var badJson = server.request("GET", db + "/_all_docs?startkey=b");
        assertEquals(400, badJson.status());
        assertEquals("bad_request", badJson.json().path("error").asText());
        assertTrue(badJson.json().path("reason").asText().startsWith("invalid UTF-8 JSON: "), badJson.text());
        var badInt = server.request("GET", db + "/_all_docs?limit=-1");
        assertEquals("query_parse_error", badInt.json().path("error").asText());
        assertEquals("Invalid value for positive integer: \"-1\"", badInt.json().path("reason").asText());
        // A reversed range is no error in _all_docs (it is in a view): no rows, as CouchDB answers.
        var reversed = server.request("GET", db + "/_all_docs?startkey=%22c%22&endkey=%22a%22");
        assertEquals(200, reversed.status());
        assertEquals(0, reversed.json().path("rows").size());
        var keysAndKey = server.request("GET", db + "/_all_docs?keys=%5B%22a%22%5D&key=%22a%22");
        assertEquals(400, keysAndKey.status());
    }

    @Test
    void postAllDocsWithKeysAnswersInKeyOrderWithNotFoundRows() throws Exception {
        var reply = server.request("POST", db + "/_all_docs", "{\"keys\":[\"c\",\"zz\",\"a\"]}");
        assertEquals(200, reply.status());
        JsonNode rows = reply.json().path("rows");
        assertEquals("c", rows.get(0).path("id").asText());
        assertEquals("zz", rows.get(1).path("key").asText());
        assertEquals("not_found", rows.get(1).path("error").asText());
        assertEquals("a", rows.get(2).path("id").asText());
    }

    @Test
    void designDocsListsOnlyDesignDocuments() throws Exception {
        server.request("PUT", db + "/_design/x", "{}");
        JsonNode rows = server.request("GET", db + "/_design_docs").json().path("rows");
        assertEquals(1, rows.size());
        assertEquals("_design/x", rows.get(0).path("id").asText());
    }

    @Test
    void localDocsListsLocalDocumentsWithNullTotals() throws Exception {
        server.request("PUT", db + "/_local/l1", "{}");
        JsonNode body = server.request("GET", db + "/_local_docs").json();
        assertTrue(body.path("total_rows").isNull());
        assertEquals("_local/l1", body.path("rows").get(0).path("id").asText());
    }

    @Test
    void bulkDocsReportsEachResultAndConflictsWithoutFailingTheRest() throws Exception {
        var reply = server.request("POST", db + "/_bulk_docs", "{\"docs\":[{\"_id\":\"a\"},{\"_id\":\"d\"}]}");
        assertEquals(201, reply.status());
        JsonNode results = reply.json();
        assertEquals("conflict", results.get(0).path("error").asText());
        assertTrue(results.get(1).path("ok").asBoolean());
        var missingDocs = server.request("POST", db + "/_bulk_docs", "{}");
        assertEquals(400, missingDocs.status());
        assertEquals("POST body must include `docs` parameter.", missingDocs.json().path("reason").asText());
    }

    @Test
    void bulkDocsWithNewEditsFalseMergesRevisionsAndReportsNothing() throws Exception {
        var reply = server.request("POST", db + "/_bulk_docs",
                "{\"new_edits\":false,\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-ffff\",\"n\":9}]}");
        assertEquals(201, reply.status());
        assertEquals("[]", reply.json().toString());
        JsonNode doc = server.request("GET", db + "/a?conflicts=true").json();
        assertEquals(1, doc.path("_conflicts").size());
    }

    @Test
    void bulkGetAnswersOkAndErrorEntriesWithRevisions() throws Exception {
        String rev = server.request("GET", db + "/a").json().path("_rev").asText();
        var reply = server.request("POST", db + "/_bulk_get?revs=true",
                "{\"docs\":[{\"id\":\"a\",\"rev\":\"" + rev + "\"},{\"id\":\"nope\"}]}");
        assertEquals(200, reply.status());
        JsonNode results = reply.json().path("results");
        JsonNode ok = results.get(0).path("docs").get(0).path("ok");
        assertEquals(rev, ok.path("_rev").asText());
        assertEquals(1, ok.path("_revisions").path("start").asInt());
        assertEquals("not_found", results.get(1).path("docs").get(0).path("error").path("error").asText());
        assertEquals(400, server.request("POST", db + "/_bulk_get", "{}").status());
    }

    @Test
    void revsDiffAndMissingRevsNameOnlyWhatIsMissing() throws Exception {
        String rev = server.request("GET", db + "/a").json().path("_rev").asText();
        String request = "{\"a\":[\"" + rev + "\",\"2-abc\"],\"b\":[]}";
        JsonNode diff = server.request("POST", db + "/_revs_diff", request).json();
        assertEquals("[\"2-abc\"]", diff.path("a").path("missing").toString());
        assertTrue(diff.path("b").isMissingNode());
        JsonNode missing = server.request("POST", db + "/_missing_revs", request).json();
        assertEquals("[\"2-abc\"]", missing.path("missing_revs").path("a").toString());
    }

    @Test
    void changesNormalFeedListsEachDocOnceWithLastSeq() throws Exception {
        var reply = server.request("GET", db + "/_changes");
        assertEquals(200, reply.status());
        JsonNode body = reply.json();
        assertEquals(3, body.path("results").size());
        assertEquals(3, body.path("last_seq").asLong());
        assertEquals(0, body.path("pending").asLong());
        JsonNode since = server.request("GET", db + "/_changes?since=2&include_docs=true").json();
        assertEquals(1, since.path("results").size());
        assertEquals(3, since.path("results").get(0).path("doc").path("n").asInt());
        JsonNode filtered = server.request("POST", db + "/_changes?filter=_doc_ids", "{\"doc_ids\":[\"b\"]}").json();
        assertEquals("b", filtered.path("results").get(0).path("id").asText());
        assertEquals(1, filtered.path("results").size());
    }

    @Test
    void changesLongpollWaitsForTheNextWrite() throws Exception {
        // The server counts a request until after its client has the answer: let the earlier ones go first.
        Eventually.until("earlier requests left", () -> server.server().requestsInFlight() == 0);
        var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return server.request("GET", db + "/_changes?feed=longpoll&since=3&timeout=600000");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Eventually.until("the longpoll reached the server", () -> server.server().requestsInFlight() == 1);
        server.request("PUT", db + "/d", "{}");
        JsonNode body = pending.get(60, java.util.concurrent.TimeUnit.SECONDS).json();
        assertEquals("d", body.path("results").get(0).path("id").asText());
    }
}
