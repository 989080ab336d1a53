package dev.arbor.server.replicator.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A replication whose target dies: 100,000 documents from an Arbor server in this JVM to one in a
 * child JVM, which is killed with SIGKILL half-way, restarted on the same data directory and port,
 * and replicated to again. The second run resumes from the last checkpoint both sides hold (it reads
 * fewer than 100,000 documents) and the two databases converge.
 */
@Tag("slow")
class InterruptedReplicationTest {
    private static final int DOCS = 100_000;

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(900) // only ends a hung test: 200,000 documents over HTTP on a busy machine
    void aTargetKilledMidwayResumesFromTheCheckpointAndConverges() throws Exception {
        Storage sourceStorage = Arbor.storage(dir.resolve("source"));
        ServerConfig config = ServerConfig.defaults(dir.resolve("source")).withPort(0).withAccessLog(false);
        try (ArborServer source = ArborServer.builder(config, sourceStorage).start()) {
            writeDocs(sourceStorage.databaseOrCreate("big"));
            Path targetData = dir.resolve("target");
            Process target = ChildArborServer.launch(targetData, 0, "512m");
            int port = ChildArborServer.portOf(target);
            try {
                String body = "{\"source\":\"big\",\"target\":\"http://127.0.0.1:" + port + "/big\",\"create_target\":true,"
                        + "\"checkpoint_interval\":200}";
                CompletableFuture<HttpResponse<String>> firstRun = post(source, "_replicate", body);

                String replicationId = null;
                long checkpointed = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
                while (checkpointed < DOCS / 4) {
                    if (System.nanoTime() > deadline || firstRun.isDone()) {
                        fail("no checkpoint past a quarter before the end: " + (firstRun.isDone() ? firstRun.join().body() : ""));
                    }
                    JsonNode tasks = get(source, "_active_tasks");
                    if (!tasks.isEmpty()) {
                        replicationId = tasks.get(0).path("replication_id").asText();
                        checkpointed = tasks.get(0).path("checkpointed_source_seq").asLong();
                    }
                    Thread.sleep(20);
                }
                target.destroyForcibly();
                assertTrue(target.waitFor(120, TimeUnit.SECONDS));

                HttpResponse<String> cancelled = post(source, "_replicate",
                        "{\"replication_id\":\"" + replicationId + "\",\"cancel\":true}").get(120, TimeUnit.SECONDS);
                assertEquals(200, cancelled.statusCode(), cancelled.body());
                HttpResponse<String> first = firstRun.get(120, TimeUnit.SECONDS);
                assertEquals(200, first.statusCode(), first.body());
                assertTrue(Json.parse(first.body()).path("cancelled").asBoolean(), first.body());

                target = ChildArborServer.launch(targetData, port, "512m");
                ChildArborServer.portOf(target);
                HttpResponse<String> second = post(source, "_replicate", body).get(600, TimeUnit.SECONDS);
                assertEquals(200, second.statusCode(), second.body());
                JsonNode result = Json.parse(second.body());
                long docsRead = result.path("docs_read").asLong();
                assertTrue(docsRead < DOCS, "the second run resumed from a checkpoint: docs_read " + docsRead);
                assertTrue(docsRead <= DOCS - checkpointed, "it read nothing the checkpoint covered: " + docsRead
                        + " > " + (DOCS - checkpointed));
                assertEquals(DOCS, result.path("source_last_seq").asLong());
                System.out.println("interrupted replication: killed after checkpoint " + checkpointed
                        + "; the second run read " + docsRead + " docs");

                assertEquals(winners(source.uri() + "big"), winners("http://127.0.0.1:" + port + "/big"),
                        "every document is on the target with the source's winning revision");
            } finally {
                target.destroyForcibly();
                target.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void writeDocs(Database db) {
        List<ObjectNode> docs = new ArrayList<>();
        for (int n = 0; n < DOCS; n++) {
            docs.add(Json.object().put("_id", String.format("doc-%06d", n)).put("n", n).put("text", "document number " + n));
            if (docs.size() == 5000) {
                db.bulkDocs(docs);
                docs.clear();
            }
        }
        db.bulkDocs(docs);
    }


    private CompletableFuture<HttpResponse<String>> post(ArborServer server, String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(server.uri() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(ArborServer server, String path) throws Exception {
        return Json.parse(http.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** {@code id rev} of every document, from {@code _all_docs}. */
    private List<String> winners(String dbUrl) throws Exception {
        JsonNode rows = Json.parse(http.send(HttpRequest.newBuilder(URI.create(dbUrl + "/_all_docs")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("rows");
        List<String> out = new ArrayList<>(rows.size());
        rows.forEach(row -> out.add(row.path("id").asText() + " " + row.path("value").path("rev").asText()));
        assertEquals(DOCS, out.size(), dbUrl);
        return out;
    }
}
