package dev.arbor.server.replicator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.arbor.server.replicator.Await.until;
import static dev.arbor.server.replicator.ReplicateEndpointTest.writeDocs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicatorDatabaseTest {
    private static final Duration WAIT = Duration.ofSeconds(60); // only ends a hung test

    @TempDir
    Path data;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(data);
        assertEquals(201, server.request("PUT", "/_replicator").status());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode doc(String id) throws Exception {
        return server.request("GET", "/_replicator/" + id).json();
    }

    private long docCount(String db) throws Exception {
        return server.request("GET", "/" + db).json().path("doc_count").asLong();
    }

    @Test
    void oneShotDocumentRunsAndIsMarkedCompletedWithItsStats() throws Exception {
        writeDocs(server, "source", 0, 40);
        assertEquals(201, server.request("PUT", "/_replicator/copy",
                "{\"source\":\"source\",\"target\":\"target\",\"create_target\":true}").status());
        until(WAIT, () -> "completed".equals(doc("copy").path("_replication_state").asText()));
        JsonNode done = doc("copy");
        assertEquals(40, done.path("_replication_stats").path("docs_written").asLong());
        assertTrue(done.path("_replication_id").asText().matches("[0-9a-f]{32}\\+create_target"), done.toString());
        assertTrue(done.path("_replication_state_time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertEquals(40, docCount("target"));

        JsonNode schedulerDoc = server.request("GET", "/_scheduler/docs/_replicator/copy").json();
        assertEquals("completed", schedulerDoc.path("state").asText());
        assertEquals("_replicator", schedulerDoc.path("database").asText());
        assertEquals(40, schedulerDoc.path("info").path("docs_written").asLong());
        JsonNode all = server.request("GET", "/_scheduler/docs").json();
        assertEquals(1, all.path("total_rows").asInt());
        assertEquals("copy", all.path("docs").path(0).path("doc_id").asText());
    }

    @Test
    void continuousDocumentReplicatesUntilItIsDeleted() throws Exception {
        writeDocs(server, "source", 0, 5);
        var put = server.request("PUT", "/_replicator/live",
                "{\"source\":\"source\",\"target\":\"target\",\"create_target\":true,\"continuous\":true}");
        until(WAIT, () -> docCount("target") == 5);
        until(WAIT, () -> "running".equals(doc("live").path("_replication_state").asText()));
        JsonNode task = server.request("GET", "/_active_tasks").json().path(0);
        assertEquals("_replicator", task.path("database").asText());
        assertEquals("live", task.path("doc_id").asText());
        assertEquals("running", server.request("GET", "/_scheduler/docs/_replicator/live").json().path("state").asText());
        JsonNode job = server.request("GET", "/_scheduler/jobs").json().path("jobs").path(0);
        assertEquals("live", job.path("doc_id").asText());
        assertEquals("_replicator", job.path("database").asText());

        writeDocs(server, "source", 5, 3);
        until(WAIT, () -> docCount("target") == 8);

        String rev = doc("live").path("_rev").asText();
        assertEquals(200, server.request("DELETE", "/_replicator/live?rev=" + rev).status(), put.text());
        until(WAIT, () -> server.request("GET", "/_active_tasks").json().isEmpty());
        assertEquals(404, server.request("GET", "/_scheduler/docs/_replicator/live").status());
        writeDocs(server, "source", 8, 2);
        Thread.sleep(300);
        assertEquals(8, docCount("target"), "the job stopped with its document");
    }

    @Test
    void jobsSurviveARestartAndCompletedOnesAreNotRunAgain() throws Exception {
        writeDocs(server, "source", 0, 10);
        server.request("PUT", "/_replicator/once", "{\"source\":\"source\",\"target\":\"once-target\",\"create_target\":true}");
        server.request("PUT", "/_replicator/live", "{\"source\":\"source\",\"target\":\"live-target\",\"create_target\":true,\"continuous\":true}");
        until(WAIT, () -> "completed".equals(doc("once").path("_replication_state").asText()) && docCount("live-target") == 10);
        String completedRev = doc("once").path("_rev").asText();

        server.close();
        server = TestServer.start(data);
        writeDocs(server, "source", 10, 7);
        until(WAIT, () -> docCount("live-target") == 17);
        JsonNode task = server.request("GET", "/_active_tasks").json().path(0);
        assertEquals("live", task.path("doc_id").asText());
        assertEquals(7, task.path("docs_written").asLong(), "resumed from its checkpoint, not from 0");
        assertEquals(1, server.request("GET", "/_active_tasks").json().size(), "the completed document is not run again");
        assertEquals(completedRev, doc("once").path("_rev").asText());
        assertEquals(10, docCount("once-target"));
        assertEquals("completed", server.request("GET", "/_scheduler/docs/_replicator/once").json().path("state").asText());
    }

    @Test
    void aDocumentThatCannotRunIsMarkedErrorWithTheReason() throws Exception {
        server.request("PUT", "/_replicator/broken", "{\"source\":\"source\"}");
        until(WAIT, () -> "error".equals(doc("broken").path("_replication_state").asText()));
        assertEquals("Missing `target`", doc("broken").path("_replication_state_reason").asText());
        assertEquals("error", server.request("GET", "/_scheduler/docs/_replicator/broken").json().path("state").asText());
    }

    @Test
    void aMissingSourceIsCrashingAndRetried() throws Exception {
        server.request("PUT", "/_replicator/early", "{\"source\":\"later\",\"target\":\"target\",\"create_target\":true}");
        until(WAIT, () -> "crashing".equals(doc("early").path("_replication_state").asText()));
        assertTrue(doc("early").path("_replication_state_reason").asText().contains("could not open later"),
                doc("early").toString());
        JsonNode schedulerDoc = server.request("GET", "/_scheduler/docs/_replicator/early").json();
        assertEquals("crashing", schedulerDoc.path("state").asText());
        assertEquals(1, schedulerDoc.path("error_count").asInt());
        writeDocs(server, "source-unrelated", 0, 1);
        writeDocs(server, "later", 0, 2);
        // The first retry comes 5 s after the failure.
        until(WAIT, () -> "completed".equals(doc("early").path("_replication_state").asText()));
        assertEquals(2, docCount("target"));
    }

    @Test
    void replicatorDatabaseCreatedAfterTheStartIsWatchedToo() throws Exception {
        server.close();
        server = TestServer.start(data);
        assertEquals(200, server.request("DELETE", "/_replicator").status());
        assertEquals(201, server.request("PUT", "/_replicator").status());
        writeDocs(server, "source", 0, 3);
        server.request("PUT", "/_replicator/copy", "{\"source\":\"source\",\"target\":\"target\",\"create_target\":true}");
        until(WAIT, () -> "completed".equals(doc("copy").path("_replication_state").asText()));
        assertEquals(3, docCount("target"));
    }
}
