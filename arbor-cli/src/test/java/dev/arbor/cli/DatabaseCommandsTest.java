package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** init, status, info, compact and db create/list/delete, and what happens where no database is. */
class DatabaseCommandsTest {
    private CliHarness arbor;

    @BeforeEach
    void harness(@TempDir Path dir) {
        arbor = new CliHarness(dir.resolve("data"));
    }

    @Test
    void initCreatesTheDataDirectoryAndTheDefaultDatabaseOnce() {
        JsonNode first = arbor.ok("init");
        assertTrue(first.get("ok").asBoolean());
        assertTrue(first.get("created").asBoolean());
        assertEquals("arbor", first.get("db_name").asText());
        assertEquals(arbor.dataDir().toAbsolutePath().toString(), first.get("data_dir").asText());
        assertTrue(Files.isDirectory(arbor.dataDir()));
        assertEquals(Json.parse("[\"arbor\"]"), arbor.ok("db", "list"));

        assertFalse(arbor.ok("init").get("created").asBoolean(), "a second init finds the database there");
    }

    @Test
    void initWithDbCreatesThatDatabase() {
        arbor.ok("init", "--db", "notes");
        assertEquals(Json.parse("[\"notes\"]"), arbor.ok("db", "list"));
    }

    @Test
    void statusOfAMissingStorageSaysSoWithoutCreatingIt() {
        var result = arbor.run("status");
        assertEquals(0, result.exitCode(), result.toString());
        JsonNode status = result.json();
        assertFalse(status.get("exists").asBoolean());
        assertEquals(0, status.get("databases").size());
        assertTrue(result.stderr().contains("arbor init"), result.stderr());
        assertFalse(Files.exists(arbor.dataDir()));
    }

    @Test
    void statusListsEachDatabaseWithItsDocumentCounts() {
        arbor.ok("init");
        arbor.ok("put", "a", "{}");
        arbor.ok("put", "b", "{}");
        arbor.ok("delete", "b");
        arbor.ok("db", "create", "empty");

        JsonNode status = arbor.ok("status");
        assertTrue(status.get("exists").asBoolean());
        assertEquals(ArborVersion.current(), status.get("version").asText());
        assertEquals(arbor.dataDir().toAbsolutePath().toString(), status.get("data_dir").asText());
        JsonNode databases = status.get("databases");
        assertEquals(2, databases.size());
        assertEquals("arbor", databases.get(0).get("db_name").asText());
        assertEquals(1, databases.get(0).get("doc_count").asLong());
        assertEquals(1, databases.get(0).get("doc_del_count").asLong());
        assertEquals("empty", databases.get(1).get("db_name").asText());
        assertEquals(0, databases.get(1).get("doc_count").asLong());
    }

    @Test
    void infoHasTheFieldsOfCouchDbsDatabaseInformation() {
        arbor.ok("init");
        arbor.ok("put", "a", "{}");
        JsonNode info = arbor.ok("info");
        assertEquals("arbor", info.get("db_name").asText());
        assertEquals(1, info.get("doc_count").asLong());
        assertEquals(0, info.get("doc_del_count").asLong());
        assertEquals(1, info.get("update_seq").asLong());
        assertEquals(0, info.get("purge_seq").asLong());
        assertFalse(info.get("compact_running").asBoolean());
        assertEquals("0", info.get("instance_start_time").asText());
        for (String size : List.of("file", "active", "external")) {
            assertTrue(info.get("sizes").get(size).isIntegralNumber(), size);
        }
    }

    @Test
    void compactAnswersOkAndKeepsTheCurrentDocuments() {
        arbor.ok("init");
        String rev1 = arbor.ok("put", "a", "{\"n\":1}").get("rev").asText();
        arbor.ok("put", "a", "{\"n\":2}", "--rev", rev1);
        assertEquals(Json.parse("{\"ok\":true}"), arbor.ok("compact"));
        assertEquals(2, arbor.ok("get", "a").get("n").asInt());
        assertEquals(1, arbor.ok("info").get("doc_count").asLong());
    }

    @Test
    void dbCreateListAndDeleteManageDatabasesByName() {
        assertEquals(Json.parse("[]"), arbor.ok("db", "list"), "no storage yet: no databases");
        assertEquals(Json.parse("{\"ok\":true}"), arbor.ok("db", "create", "zebra"));
        arbor.ok("db", "create", "apple");
        assertEquals(Json.parse("[\"apple\",\"zebra\"]"), arbor.ok("db", "list"));

        assertEquals(Json.parse("{\"ok\":true}"), arbor.ok("db", "delete", "zebra"));
        assertEquals(Json.parse("[\"apple\"]"), arbor.ok("db", "list"));
    }

    @Test
    void creatingAnExistingDatabaseIsFileExists() {
        arbor.ok("db", "create", "notes");
        var result = arbor.run("db", "create", "notes");
        assertEquals(1, result.exitCode());
        assertEquals("file_exists", result.error().get("error").asText());
    }

    @Test
    void anIllegalDatabaseNameIsRefused() {
        var result = arbor.run("db", "create", "Notes");
        assertEquals(1, result.exitCode());
        assertEquals("illegal_database_name", result.error().get("error").asText());
    }

    @Test
    void deletingAnUnknownDatabaseIsNotFound() {
        arbor.ok("init");
        var result = arbor.run("db", "delete", "nothing");
        assertEquals(1, result.exitCode());
        assertEquals("not_found", result.error().get("error").asText());
    }

    @Test
    void everyDatabaseCommandOnAMissingDatabaseIsNotFound() {
        arbor.ok("init");
        List<List<String>> commands = List.of(
                List.of("get", "a"), List.of("put", "a", "{}"), List.of("delete", "a"), List.of("list"),
                List.of("changes"), List.of("info"), List.of("compact"));
        for (List<String> command : commands) {
            List<String> argv = new java.util.ArrayList<>(command);
            argv.addAll(List.of("--db", "missing"));
            var result = arbor.run(argv.toArray(String[]::new));
            assertEquals(1, result.exitCode(), command + ": " + result);
            assertEquals(Json.parse("{\"error\":\"not_found\",\"reason\":\"Database does not exist.\"}"),
                    result.error(), command.toString());
            assertEquals("", result.stdout(), command.toString());
        }
        assertEquals(Json.parse("[\"arbor\"]"), arbor.ok("db", "list"), "no command created the database");
    }

    @Test
    void commandsOnAMissingStorageAreNotFoundAndCreateNothing() {
        var result = arbor.run("get", "a");
        assertEquals(1, result.exitCode());
        assertEquals("Database does not exist.", result.error().get("reason").asText());
        assertFalse(Files.exists(arbor.dataDir()));
    }
}
