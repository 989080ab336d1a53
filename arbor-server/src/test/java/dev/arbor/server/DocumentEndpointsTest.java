package dev.arbor.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One server for the class; each test works in a database of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocumentEndpointsTest {
    private static final AtomicInteger NEXT = new AtomicInteger();

    TestServer server;
    String db;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = TestServer.start(ServerConfig.defaults(data).withPort(0).withAccessLog(false).withMaxRequestBodyBytes(64 * 1024));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @BeforeEach
    void createDatabase() throws Exception {
        db = "/docs" + NEXT.incrementAndGet();
        assertEquals(201, server.request("PUT", db).status());
    }

    private String put(String id, String body) throws Exception {
        var reply = server.request("PUT", db + "/" + id, body);
        assertEquals(201, reply.status(), reply.text());
        return reply.json().path("rev").asText();
    }

    @Test
    void putIs201WithRevETagAndLocationThenGetReturnsTheBody() throws Exception {
        var reply = server.request("PUT", db + "/a", "{\"n\":1}");
        assertEquals(201, reply.status());
        JsonNode body = reply.json();
        assertTrue(body.path("ok").asBoolean());
        assertEquals("a", body.path("id").asText());
        String rev = body.path("rev").asText();
        assertTrue(rev.startsWith("1-"));
        assertEquals("\"" + rev + "\"", reply.header("ETag"));
        assertTrue(reply.header("Location").endsWith(db + "/a"), reply.header("Location"));

        var got = server.request("GET", db + "/a");
        assertEquals(200, got.status());
        assertEquals("{\"_id\":\"a\",\"_rev\":\"" + rev + "\",\"n\":1}", got.json().toString());
        assertEquals("\"" + rev + "\"", got.header("ETag"));
    }

    @Test
    void getSendsIdAndRevFirstThenTheBodyMembersInOrder() throws Exception {
        String rev = put("b", "{\"s\":\"\u00e9\\n\",\"f\":0.5,\"o\":{\"x\":[1,{}]},\"e\":{}}");
        String expected = "{\"_id\":\"b\",\"_rev\":\"" + rev + "\",\"s\":\"\u00e9\\n\",\"f\":0.5,\"o\":{\"x\":[1,{}]},\"e\":{}}\n";
        assertEquals(expected, server.request("GET", db + "/b").text());
        assertEquals(expected, server.request("GET", db + "/b?conflicts=true").text());
        String emptyRev = put("empty", "{}");
        assertEquals("{\"_id\":\"empty\",\"_rev\":\"" + emptyRev + "\"}\n", server.request("GET", db + "/empty").text());
    }

    @Test
    void ifNoneMatchWithTheCurrentRevIs304WithoutBody() throws Exception {
        String rev = put("a", "{}");
        var reply = server.request("GET", db + "/a", null, "If-None-Match", "\"" + rev + "\"");
        assertEquals(304, reply.status());
        assertEquals("", reply.text());
        assertEquals(200, server.request("GET", db + "/a", null, "If-None-Match", "\"1-other\"").status());
    }

    @Test
    void headGivesETagAndLengthWithoutBody() throws Exception {
        String rev = put("a", "{\"n\":1}");
        var reply = server.request("HEAD", db + "/a");
        assertEquals(200, reply.status());
        assertEquals("\"" + rev + "\"", reply.header("ETag"));
        assertEquals("", reply.text());
        assertTrue(Integer.parseInt(reply.header("Content-Length")) > 0);
    }

    @Test
    void staleOrMissingRevIs409Conflict() throws Exception {
        String rev = put("a", "{}");
        put("a", "{\"_rev\":\"" + rev + "\"}");
        var stale = server.request("PUT", db + "/a", "{\"_rev\":\"" + rev + "\"}");
        assertEquals(409, stale.status());
        assertEquals("{\"error\":\"conflict\",\"reason\":\"Document update conflict.\"}", stale.json().toString());
        assertEquals(409, server.request("PUT", db + "/a", "{}").status());
    }

    @Test
    void revFromQueryIfMatchAndBodyMustAgree() throws Exception {
        String rev = put("a", "{}");
        var viaQuery = server.request("PUT", db + "/a?rev=" + rev, "{\"n\":2}");
        assertEquals(201, viaQuery.status());
        String rev2 = viaQuery.json().path("rev").asText();
        var viaIfMatch = server.request("PUT", db + "/a", "{\"n\":3}", "If-Match", "\"" + rev2 + "\"");
        assertEquals(201, viaIfMatch.status());

        var disagree = server.request("PUT", db + "/a?rev=1-x", "{\"_rev\":\"2-y\"}");
        assertEquals(400, disagree.status());
        assertEquals("Document rev from request body and query string have different values",
                disagree.json().path("reason").asText());
    }

    @Test
    void missingAndDeletedDocsAre404WithCouchDbReasons() throws Exception {
        var missing = server.request("GET", db + "/nope");
        assertEquals(404, missing.status());
        assertEquals("{\"error\":\"not_found\",\"reason\":\"missing\"}", missing.json().toString());

        String rev = put("a", "{}");
        var deleted = server.request("DELETE", db + "/a?rev=" + rev);
        assertEquals(200, deleted.status());
        assertTrue(deleted.json().path("rev").asText().startsWith("2-"));
        assertEquals("deleted", server.request("GET", db + "/a").json().path("reason").asText());
    }

    @Test
    void deleteWithoutRevIsAConflictAndIfMatchIsAccepted() throws Exception {
        String rev = put("a", "{}");
        assertEquals(409, server.request("DELETE", db + "/a").status());
        assertEquals(200, server.request("DELETE", db + "/a", null, "If-Match", "\"" + rev + "\"").status());
    }

    @Test
    void malformedJsonIs400InvalidUtf8Json() throws Exception {
        var reply = server.request("PUT", db + "/a", "{\"n\":");
        assertEquals(400, reply.status());
        assertEquals("bad_request", reply.json().path("error").asText());
        assertTrue(reply.json().path("reason").asText().startsWith("invalid UTF-8 JSON: "), reply.text());
        assertEquals(400, server.request("PUT", db + "/a", "[1]").status());
    }

    @Test
    void bodyOverTheLimitIs413TooLarge() throws Exception {
        String big = "{\"x\":\"" + "a".repeat(70 * 1024) + "\"}";
        // Expect: 100-continue, so the client waits for the answer instead of writing a body the server
        // refuses unread (it then closes the connection, and a client still writing may see only a reset).
        var reply = server.send(java.net.http.HttpRequest.newBuilder(server.uri(db + "/big"))
                .expectContinue(true)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(big)).build());
        assertEquals(413, reply.status());
        assertEquals("too_large", reply.json().path("error").asText());
        assertEquals("the request entity is too large", reply.json().path("reason").asText());
    }

    @Test
    void encodedSlashIsPartOfTheDocumentId() throws Exception {
        put("a%2Fb", "{}");
        var got = server.request("GET", db + "/a%2Fb");
        assertEquals(200, got.status());
        assertEquals("a/b", got.json().path("_id").asText());
        assertEquals(404, server.request("GET", db + "/a").status());
    }

    @Test
    void designPathIsADesignDocButEncodedUnderscoreIsNot() throws Exception {
        var design = server.request("PUT", db + "/_design/app", "{\"views\":{}}");
        assertEquals(201, design.status());
        assertEquals("_design/app", design.json().path("id").asText());
        assertEquals("_design/app", server.request("GET", db + "/_design/app").json().path("_id").asText());
        // The raw segment is compared: %5Fdesign/app is document "_design" with an attachment path, not a design doc.
        var encoded = server.request("GET", db + "/%5Fdesign/app");
        assertFalse(encoded.status() == 200, encoded.text());
        // A whole id with an encoded slash names the same design document, as in CouchDB.
        assertEquals("_design/app", server.request("GET", db + "/_design%2Fapp").json().path("_id").asText());
    }

    @Test
    void unknownUnderscoreIdIs400IllegalDocid() throws Exception {
        var reply = server.request("PUT", db + "/_nope", "{}");
        assertEquals(400, reply.status());
        assertEquals("illegal_docid", reply.json().path("error").asText());
    }

    @Test
    void localDocsHaveZeroDashRevisionsNumberedFromTheRevTheEditNames() throws Exception {
        var first = server.request("PUT", db + "/_local/check", "{\"seq\":1}");
        assertEquals(201, first.status());
        assertEquals("0-1", first.json().path("rev").asText());
        assertEquals("_local/check", first.json().path("id").asText());
        var second = server.request("PUT", db + "/_local/check", "{\"seq\":2,\"_rev\":\"0-1\"}");
        assertEquals("0-2", second.json().path("rev").asText());
        assertEquals(2, server.request("GET", db + "/_local/check").json().path("seq").asInt());
        // as in CouchDB 3: no conflict, the edit of 0-1 is 0-2 again
        assertEquals("0-2", server.request("PUT", db + "/_local/check", "{\"_rev\":\"0-1\"}").json().path("rev").asText());
        assertEquals(200, server.request("DELETE", db + "/_local/check?rev=0-2").status());
        assertEquals(404, server.request("GET", db + "/_local/check").status());
    }

    @Test
    void postCreatesWithGeneratedIdAndLocation() throws Exception {
        var reply = server.request("POST", db, "{\"n\":1}");
        assertEquals(201, reply.status());
        String id = reply.json().path("id").asText();
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertTrue(reply.header("Location").endsWith(db + "/" + id));
        assertEquals(415, server.request("POST", db, null).status());
    }

    @Test
    void batchOkIs202WithIdOnly() throws Exception {
        var reply = server.request("PUT", db + "/b?batch=ok", "{}");
        assertEquals(202, reply.status());
        assertEquals("{\"ok\":true,\"id\":\"b\"}", reply.json().toString());
        assertEquals(200, server.request("GET", db + "/b").status());
    }

    @Test
    void newEditsFalseStoresTheGivenRevisionAsIs() throws Exception {
        var reply = server.request("PUT", db + "/r?new_edits=false",
                "{\"_rev\":\"3-abc\",\"_revisions\":{\"start\":3,\"ids\":[\"abc\",\"def\",\"ghi\"]},\"v\":1}");
        assertEquals(201, reply.status(), reply.text());
        assertEquals("3-abc", reply.json().path("rev").asText());
        assertEquals("3-abc", server.request("GET", db + "/r").json().path("_rev").asText());
    }

    @Test
    void readOptionsAddRevisionsInfoAndConflicts() throws Exception {
        String rev = put("a", "{}");
        server.request("PUT", db + "/a?new_edits=false", "{\"_rev\":\"1-zzzz\",\"v\":2}");
        JsonNode doc = server.request("GET", db + "/a?revs=true&revs_info=true&conflicts=true").json();
        assertEquals(1, doc.path("_revisions").path("start").asInt());
        assertEquals("available", doc.path("_revs_info").get(0).path("status").asText());
        assertEquals(1, doc.path("_conflicts").size());
        assertEquals(rev, server.request("GET", db + "/a?rev=" + rev).json().path("_rev").asText());
        assertEquals(400, server.request("GET", db + "/a?revs=maybe").status());
        assertEquals("query_parse_error", server.request("GET", db + "/a?revs=maybe").json().path("error").asText());
    }

    @Test
    void openRevsAnswersAJsonArrayOfFoundAndMissing() throws Exception {
        String rev = put("a", "{}");
        var reply = server.request("GET", db + "/a?open_revs=%5B%22" + rev + "%22,%221-nope%22%5D", null,
                "Accept", "application/json");
        assertEquals(200, reply.status());
        JsonNode body = reply.json();
        assertEquals(rev, body.get(0).path("ok").path("_rev").asText());
        assertEquals("1-nope", body.get(1).path("missing").asText());
        var all = server.request("GET", db + "/a?open_revs=all", null, "Accept", "application/json").json();
        assertEquals(1, all.size());
    }

    @Test
    void copyWritesTheSourceUnderTheDestinationId() throws Exception {
        put("src", "{\"n\":7}");
        var reply = server.request("COPY", db + "/src", null, "Destination", "dst");
        assertEquals(201, reply.status(), reply.text());
        assertEquals("dst", reply.json().path("id").asText());
        assertEquals(7, server.request("GET", db + "/dst").json().path("n").asInt());
        var noDestination = server.request("COPY", db + "/src");
        assertEquals(400, noDestination.status());
    }
}
