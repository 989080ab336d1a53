package dev.arbor.server.replicator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static dev.arbor.server.replicator.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicateEndpointTest {
    @TempDir
    Path data;
    @TempDir
    Path otherData;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(data);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static void writeDocs(TestServer server, String db, int from, int count) throws Exception {
        server.request("PUT", "/" + db);
        StringBuilder docs = new StringBuilder("{\"docs\":[");
        for (int i = from; i < from + count; i++) {
            docs.append(i == from ? "" : ",").append("{\"_id\":\"doc-").append(i).append("\",\"n\":").append(i).append('}');
        }
        assertEquals(201, server.request("POST", "/" + db + "/_bulk_docs", docs.append("]}").toString()).status());
    }

    @Test
    void oneShotReplicationAnswersWhenDoneWithSessionLastSeqAndHistory() throws Exception {
        writeDocs(server, "source", 0, 120);
        var reply = server.request("POST", "/_replicate", "{\"source\":\"source\",\"target\":\"target\",\"create_target\":true}");
        assertEquals(200, reply.status(), reply.text());
        JsonNode body = reply.json();
        assertTrue(body.path("ok").asBoolean());
        assertTrue(body.path("session_id").asText().matches("[0-9a-f]{32}"));
        assertEquals(120, body.path("source_last_seq").asLong());
        JsonNode last = body.path("history").path(0);
        assertEquals(body.path("session_id").asText(), last.path("session_id").asText());
        assertEquals(120, last.path("docs_written").asLong());
        assertEquals(120, last.path("recorded_seq").asLong());
        assertEquals(120, server.request("GET", "/target").json().path("doc_count").asLong());

        JsonNode again = server.request("POST", "/_replicate", "{\"source\":\"source\",\"target\":\"target\"}").json();
        assertTrue(again.path("no_changes").asBoolean(), again.toString());
        assertEquals(0, again.path("docs_written").asLong());
        assertEquals(1, again.path("history").size(), "as in CouchDB, a run with nothing to do writes no checkpoint");
        assertEquals(body.path("session_id").asText(), again.path("history").path(0).path("session_id").asText());
    }

    @Test
    void missingSourceIsDbNotFound() throws Exception {
        var reply = server.request("POST", "/_replicate", "{\"source\":\"nowhere\",\"target\":\"target\",\"create_target\":true}");
        assertEquals(404, reply.status());
        assertEquals("db_not_found", reply.json().path("error").asText());
        assertEquals("could not open nowhere", reply.json().path("reason").asText());
        assertFalse(server.request("GET", "/_all_dbs").text().contains("target"), "nothing was created");
    }

    @Test
    void missingTargetWithoutCreateTargetIsDbNotFound() throws Exception {
        writeDocs(server, "source", 0, 1);
        var reply = server.request("POST", "/_replicate", "{\"source\":\"source\",\"target\":\"absent\"}");
        assertEquals(404, reply.status());
        assertEquals("db_not_found", reply.json().path("error").asText());
    }

    @Test
    void malformedSpecIsBadRequest() throws Exception {
        var reply = server.request("POST", "/_replicate", "{\"source\":\"a\",\"target\":42}");
        assertEquals(400, reply.status());
        assertEquals("bad_request", reply.json().path("error").asText());
        assertEquals(400, server.request("POST", "/_replicate", "{\"source\":\"a\",\"target\":\"b\",\"continuous\":\"yes\"}").status());
    }

    @Test
    void replicatesBetweenTwoServersByUrlWithCredentialsInEveryForm() throws Exception {
        try (TestServer other = TestServer.start(otherData)) {
            writeDocs(server, "source", 0, 50);
            String otherRoot = other.server().uri().toString();
            String basic = Base64.getEncoder().encodeToString("admin:secret".getBytes());
            // Both servers are open; the credentials only have to be accepted and sent.
            var viaUserInfo = server.request("POST", "/_replicate", "{\"source\":\"source\",\"target\":\""
                    + otherRoot.replace("http://", "http://admin:secret@") + "copy\",\"create_target\":true}");
            assertEquals(200, viaUserInfo.status(), viaUserInfo.text());
            assertEquals(50, viaUserInfo.json().path("docs_written").asLong());
            writeDocs(server, "source", 50, 10);
            var viaHeaders = server.request("POST", "/_replicate", "{\"source\":\"source\",\"target\":{\"url\":\""
                    + otherRoot + "copy\",\"headers\":{\"Authorization\":\"Basic " + basic + "\"}}}");
            assertEquals(200, viaHeaders.status(), viaHeaders.text());
            assertEquals(10, viaHeaders.json().path("docs_written").asLong(), "resumed from the checkpoint the URL forms share");
            var pullViaAuthObject = other.request("POST", "/_replicate", "{\"source\":{\"url\":\"" + server.server().uri()
                    + "source\",\"auth\":{\"basic\":{\"username\":\"admin\",\"password\":\"secret\"}}},\"target\":\"copy\"}");
            assertEquals(200, pullViaAuthObject.status(), pullViaAuthObject.text());
            assertEquals(0, pullViaAuthObject.json().path("docs_written").asLong(), "the pull finds every revision there");
            assertEquals(60, other.request("GET", "/copy").json().path("doc_count").asLong());
        }
    }

    @Test
    void continuousReplicationAnswersAtOnceRunsInActiveTasksAndCancels() throws Exception {
        writeDocs(server, "source", 0, 10);
        var started = server.request("POST", "/_replicate",
                "{\"source\":\"source\",\"target\":\"target\",\"create_target\":true,\"continuous\":true}");
        assertEquals(202, started.status(), started.text());
        String localId = started.json().path("_local_id").asText();
        assertTrue(localId.matches("[0-9a-f]{32}\\+continuous\\+create_target"), localId);

        writeDocs(server, "source", 10, 5);
        until(Duration.ofSeconds(60), () -> server.request("GET", "/target").json().path("doc_count").asLong() == 15);
        until(Duration.ofSeconds(60), () -> server.request("GET", "/_active_tasks").json().path(0).path("checkpointed_source_seq").asLong() == 15);
        JsonNode task = server.request("GET", "/_active_tasks").json().path(0);
        assertEquals("replication", task.path("type").asText());
        assertEquals(localId, task.path("replication_id").asText());
        assertEquals("source", task.path("source").asText());
        assertEquals("target", task.path("target").asText());
        assertTrue(task.path("continuous").asBoolean());
        assertEquals(15, task.path("docs_written").asLong());
        assertEquals(15, task.path("docs_read").asLong());
        assertEquals(0, task.path("changes_pending").asLong());
        assertEquals(15, task.path("source_seq").asLong());
        assertEquals(15, task.path("through_seq").asLong());
        assertTrue(task.path("doc_id").isNull());

        JsonNode jobs = server.request("GET", "/_scheduler/jobs").json();
        assertEquals(1, jobs.path("total_rows").asInt());
        JsonNode job = jobs.path("jobs").path(0);
        assertEquals(localId, job.path("id").asText());
        assertEquals(15, job.path("info").path("docs_written").asLong());
        assertEquals("started", job.path("history").path(0).path("type").asText());
        assertEquals(localId, server.request("GET", "/_scheduler/jobs/" + localId.replace("+", "%2B")).json().path("id").asText());

        var again = server.request("POST", "/_replicate",
                "{\"source\":\"source\",\"target\":\"target\",\"create_target\":true,\"continuous\":true}");
        assertEquals(localId, again.json().path("_local_id").asText(), "the same replication is joined, not started twice");
        assertEquals(1, server.request("GET", "/_active_tasks").json().size());

        var cancelled = server.request("POST", "/_replicate", "{\"replication_id\":\"" + localId + "\",\"cancel\":true}");
        assertEquals(200, cancelled.status(), cancelled.text());
        assertEquals(localId, cancelled.json().path("_local_id").asText());
        until(Duration.ofSeconds(60), () -> server.request("GET", "/_active_tasks").json().isEmpty());
        writeDocs(server, "source", 15, 1);
        Thread.sleep(300);
        assertEquals(15, server.request("GET", "/target").json().path("doc_count").asLong(), "no longer replicating");
        var unknown = server.request("POST", "/_replicate", "{\"replication_id\":\"" + localId + "\",\"cancel\":true}");
        assertEquals(404, unknown.status());
    }

    @Test
    void continuousReplicationIsCancelledByItsOwnBodyWithCancel() throws Exception {
        writeDocs(server, "source", 0, 3);
        String spec = "{\"source\":\"source\",\"target\":\"target\",\"create_target\":true,\"continuous\":true";
        assertEquals(202, server.request("POST", "/_replicate", spec + "}").status());
        var cancelled = server.request("POST", "/_replicate", spec + ",\"cancel\":true}");
        assertEquals(200, cancelled.status(), cancelled.text());
        until(Duration.ofSeconds(60), () -> server.request("GET", "/_scheduler/jobs").json().path("total_rows").asInt() == 0);
    }
}
