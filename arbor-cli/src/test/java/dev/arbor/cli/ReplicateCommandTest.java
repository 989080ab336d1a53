package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code arbor replicate}: local names and URLs, its options, its JSON result and its progress bar. */
class ReplicateCommandTest {
    @TempDir
    Path dir;
    private CliHarness arbor;

    @BeforeEach
    void harness() {
        arbor = new CliHarness(dir.resolve("data"));
    }

    private void writeDocs(String db, int count) {
        try (Storage storage = Arbor.storage(arbor.dataDir())) {
            Database database = storage.databaseOrCreate(db);
            List<ObjectNode> docs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                docs.add(Json.object().put("_id", "doc-" + i).put("n", i));
            }
            database.bulkDocs(docs);
        }
    }

    @Test
    void replicatesIntoANewDatabaseThenFindsNothingToDo() {
        writeDocs("source", 25);
        JsonNode first = arbor.ok("replicate", "source", "target", "--create-target", "--batch-size", "10");
        assertTrue(first.path("ok").asBoolean());
        assertEquals(25, first.path("docs_read").asLong());
        assertEquals(25, first.path("docs_written").asLong());
        assertEquals(25, first.path("source_last_seq").asLong());
        assertTrue(first.path("_local_id").asText().startsWith(first.path("_local_id").asText().substring(0, 32)));

        JsonNode second = arbor.ok("replicate", "source", "target");
        assertEquals(0, second.path("docs_written").asLong());
        assertEquals(25, second.path("start_last_seq").asLong(), "resumed from the checkpoint");
        assertEquals(25, arbor.ok("info", "--db", "target").path("doc_count").asLong());
    }

    @Test
    void docIdsSelectTheDocuments() {
        writeDocs("source", 10);
        JsonNode result = arbor.ok("replicate", "source", "target", "--create-target", "--doc-ids", "doc-1,doc-7");
        assertEquals(2, result.path("docs_written").asLong());
        assertEquals(2, arbor.ok("info", "--db", "target").path("doc_count").asLong());
    }

    /** Documents of types a and b, and a design doc whose filter passes one type and, optionally, one colour. */
    private void writeTypedDocs(String db) {
        try (Storage storage = Arbor.storage(arbor.dataDir())) {
            Database database = storage.databaseOrCreate(db);
            database.put(Json.parseObject("{\"_id\":\"_design/app\",\"filters\":{\"byType\":"
                    + "\"function(doc, req) { return doc.type === req.query.type"
                    + " && (!req.query.colour || doc.colour === req.query.colour); }\"}}"));
            List<ObjectNode> docs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                docs.add(Json.object().put("_id", "doc-" + i).put("type", i % 3 == 0 ? "a" : "b")
                        .put("colour", i % 2 == 0 ? "red" : "blue"));
            }
            database.bulkDocs(docs);
        }
    }

    @Test
    void aDesignDocFilterWithQueryParamsSelectsWhatItsFunctionPasses() {
        writeTypedDocs("source");
        JsonNode typeA = arbor.ok("replicate", "source", "only-a", "--create-target", "--filter", "app/byType",
                "--query-param", "type=a");
        assertEquals(4, typeA.path("docs_written").asLong(), "doc-0, 3, 6 and 9");
        assertEquals(4, arbor.ok("info", "--db", "only-a").path("doc_count").asLong());

        JsonNode redA = arbor.ok("replicate", "source", "red-a", "--create-target", "--filter", "app/byType",
                "--query-param", "type=a", "--query-param", "colour=red");
        assertEquals(2, redA.path("docs_written").asLong(), "repeated --query-param: doc-0 and doc-6");
    }

    @Test
    void aFilteredReplicationFromAServerRunsTheFilterThere() throws Exception {
        writeTypedDocs("source");
        Path serverData = dir.resolve("server");
        ServerConfig config = ServerConfig.defaults(serverData).withPort(0).withAccessLog(false);
        try (ArborServer server = ArborServer.builder(config, Arbor.storage(serverData)).start()) {
            String url = server.uri() + "remote";
            assertEquals(13, arbor.ok("replicate", "source", url, "--create-target").path("docs_written").asLong());
            JsonNode pull = arbor.ok("replicate", url, "only-b", "--create-target", "--filter", "app/byType",
                    "--query-param", "type=b");
            assertEquals(8, pull.path("docs_written").asLong());
        }
        assertEquals(8, arbor.ok("info", "--db", "only-b").path("doc_count").asLong());
    }

    @Test
    void aQueryParamWithoutAFilterIsABadRequest() {
        writeDocs("source", 3);
        CliHarness.Result result = arbor.run("replicate", "source", "target", "--create-target", "--query-param", "type=a");
        assertEquals(1, result.exitCode(), result.toString());
        assertEquals("bad_request", result.error().path("error").asText());
        assertEquals("--query-param only goes with --filter", result.error().path("reason").asText());
    }

    @Test
    void aMissingSourceIsNotFound() {
        arbor.ok("init");
        CliHarness.Result result = arbor.run("replicate", "nowhere", "target", "--create-target");
        assertEquals(1, result.exitCode(), result.toString());
        assertEquals("not_found", result.error().path("error").asText());
        assertEquals("could not open nowhere", result.error().path("reason").asText());
    }

    @Test
    void replicatesToAndFromAServerByUrl() throws Exception {
        writeDocs("source", 30);
        Path serverData = dir.resolve("server");
        ServerConfig config = ServerConfig.defaults(serverData).withPort(0).withAccessLog(false);
        try (ArborServer server = ArborServer.builder(config, Arbor.storage(serverData)).start()) {
            String url = server.uri() + "remote";
            JsonNode push = arbor.ok("replicate", "source", url, "--create-target");
            assertEquals(30, push.path("docs_written").asLong());
            assertEquals(url + "/", push.path("target").asText());
            JsonNode pull = arbor.ok("replicate", url, "copy", "--create-target");
            assertEquals(30, pull.path("docs_written").asLong());
        }
        assertEquals(30, arbor.ok("info", "--db", "copy").path("doc_count").asLong());
    }

    @Test
    void drawsProgressOnStderrOnlyWhenItIsATerminal() {
        writeDocs("source", 40);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, true);
        int exit = Main.run(io, "--data", arbor.dataDir().toString(), "replicate", "source", "target",
                "--create-target", "--batch-size", "10");
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        String progress = err.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("[##############################] 100%  read 40  written 40  pending 0"), progress);
        assertEquals(40, Json.parse(out.toString(StandardCharsets.UTF_8)).path("docs_written").asLong());

        CliHarness.Result quiet = arbor.run("replicate", "source", "target");
        assertEquals(0, quiet.exitCode());
        assertFalse(quiet.stderr().contains("%"), "no bar when stderr is not a terminal: " + quiet.stderr());
    }
}
