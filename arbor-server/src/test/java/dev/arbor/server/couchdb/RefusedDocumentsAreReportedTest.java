package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A revision the target refuses is counted in {@code doc_write_failures} as CouchDB counts it, and Arbor also says
 * which one and why ({@code doc_write_errors}) wherever it shows the job: {@code _scheduler/docs},
 * {@code _scheduler/jobs}, {@code _active_tasks} and the {@code _replicate} answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusedDocumentsAreReportedTest {
    private static final String NO_TWOS = "{\"validate_doc_update\":\"function(doc) { if (doc.n === 2) throw({forbidden: 'no twos'}); }\"}";
    /** CouchDB's counters of its own fetches, which Arbor's replicator does not keep. */
    private static final Set<String> COUCHDB_ONLY = Set.of("bulk_get_docs", "bulk_get_attempts");

    CouchDbDifferential both;
    CouchDbPeer couch;
    String refusedRev;

    @BeforeAll
    void start(@TempDir Path dir) {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        both = CouchDbDifferential.start(dir);
        couch = both.couch();
        couch.request("PUT", "/refused_src", null);
        assertEquals(201, couch.request("POST", "/refused_src/_bulk_docs",
                "{\"docs\":[{\"_id\":\"d1\",\"n\":1},{\"_id\":\"d2\",\"n\":2},{\"_id\":\"d3\",\"n\":3}]}").status());
        refusedRev = Json.parse(couch.request("GET", "/refused_src/d2", null).body()).path("_rev").asText();
        both.send("PUT", "/_replicator", null);
    }

    @AfterAll
    void stop() {
        if (both != null) {
            both.close();
        }
    }

    @Test
    void aContinuousJobShowsTheRefusedRevisionBesideCouchDbsCounters() {
        both.send("PUT", "/refused_live", null);
        both.send("PUT", "/refused_live/_design/v", NO_TWOS);
        String source = couch.adminUrl() + "/refused_src";
        couch.request("PUT", "/_replicator/live", job(source, couch.adminUrl() + "/refused_live"));
        both.arbor().request("PUT", "/_replicator/live", job(source, both.arbor().adminUrl() + "/refused_live"));
        try {
            JsonNode couchInfo = awaitFailure(path -> couch.request("GET", path, null)).path("info");
            JsonNode arborDoc = awaitFailure(path -> both.arbor().request("GET", path, null));
            JsonNode arborInfo = arborDoc.path("info");

            assertEquals("running", arborDoc.path("state").asText());
            assertEquals(couchInfo.path("doc_write_failures"), arborInfo.path("doc_write_failures"), arborDoc + " beside CouchDB's " + couchInfo);
            assertEquals(couchInfo.path("docs_written"), arborInfo.path("docs_written"));
            List<String> missing = new ArrayList<>();
            couchInfo.fieldNames().forEachRemaining(name -> {
                if (!arborInfo.has(name) && !COUCHDB_ONLY.contains(name)) missing.add(name);
            });
            assertEquals(List.of(), missing, "CouchDB's counters, all there: " + arborInfo);
            assertRefusal(arborInfo);

            JsonNode jobs = Json.parse(both.arbor().request("GET", "/_scheduler/jobs", null).body()).path("jobs");
            assertRefusal(single(jobs, "live").path("info"));
            JsonNode tasks = Json.parse(both.arbor().request("GET", "/_active_tasks", null).body());
            assertRefusal(single(tasks, "live"));
        } finally {
            deleteJob(couch::request);
            deleteJob(both.arbor()::request);
        }
    }

    @Test
    void aOneShotReplicateAnswersWithTheRefusedRevision() {
        both.arbor().request("PUT", "/refused_once", null);
        both.arbor().request("PUT", "/refused_once/_design/v", NO_TWOS);
        String body = "{\"source\":\"" + couch.adminUrl() + "/refused_src\",\"target\":\"refused_once\"}";
        JsonNode answer = Json.parse(both.arbor().request("POST", "/_replicate", body).body());
        assertTrue(answer.path("ok").asBoolean(), answer.toString());
        assertEquals(1, answer.path("doc_write_failures").asLong());
        assertEquals(1, answer.path("history").path(0).path("doc_write_failures").asLong(), "where CouchDB reports it");
        assertRefusal(answer);
    }

    private void assertRefusal(JsonNode counters) {
        JsonNode errors = counters.path("doc_write_errors");
        assertEquals(1, errors.size(), counters.toString());
        assertEquals(Json.parse("{\"id\":\"d2\",\"rev\":\"" + refusedRev + "\",\"error\":\"forbidden\",\"reason\":\"no twos\"}"),
                errors.get(0));
    }

    private static String job(String source, String target) {
        return "{\"source\":\"" + source + "\",\"target\":\"" + target + "\",\"continuous\":true}";
    }

    private static JsonNode single(JsonNode list, String docId) {
        for (JsonNode entry : list) {
            if (docId.equals(entry.path("doc_id").asText())) return entry;
        }
        throw new AssertionError("no job of _replicator/" + docId + " in " + list);
    }

    /** The {@code _scheduler/docs} entry once the job has handled the three documents (CouchDB starts jobs a moment later). */
    private static JsonNode awaitFailure(Function<String, CouchDbPeer.Response> get) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode doc = null;
        while (System.nanoTime() < deadline) {
            CouchDbPeer.Response response = get.apply("/_scheduler/docs/_replicator/live");
            doc = response.status() == 200 ? Json.parse(response.body()) : null;
            JsonNode info = doc == null ? Json.object() : doc.path("info");
            // CouchDB's workers count as they go: wait until all three revisions are accounted for.
            if (info.path("doc_write_failures").asLong() + info.path("docs_written").asLong() == 3) {
                return doc;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the job never counted the refusal: " + doc);
    }

    private interface Requests {
        CouchDbPeer.Response request(String method, String path, String body);
    }

    private static void deleteJob(Requests server) {
        String rev = Json.parse(server.request("GET", "/_replicator/live", null).body()).path("_rev").asText();
        server.request("DELETE", "/_replicator/live?rev=" + rev, null);
    }
}
