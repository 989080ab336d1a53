package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.auth.Accounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** user, group and role put/list/delete: the accounts of the storage, and what they grant. */
class AccountCommandsTest {
    private CliHarness arbor;

    @BeforeEach
    void harness(@TempDir Path dir) {
        arbor = new CliHarness(dir.resolve("data"));
        arbor.ok("init", "--db", "news");
        arbor.ok("put", "--db", "news", "today", "{\"title\":\"hello\"}");
    }

    @Test
    void aUserGivenAGroupThroughARoleMayDoWhatItsStatementsSay() {
        arbor.ok("group", "put", "readers",
                "[{\"resources\": [[\"arbor\", \"database\", \"news\"]], \"actions\": [\"database.read_document\"]}]");
        arbor.ok("role", "put", "staff", "--group", "readers");
        arbor.ok("user", "put", "alice", "--password", "wonder", "--role", "staff");

        assertEquals(Json.parse("{\"alice\":{\"roles\":[\"staff\"],\"groups\":[]}}"), arbor.ok("user", "list"));
        assertEquals(Json.parse("{\"staff\":[\"readers\"]}"), arbor.ok("role", "list"));
        JsonNode groups = arbor.ok("group", "list");
        assertEquals("database.read_document", groups.path("readers").path(0).path("actions").path(0).asText(), groups.toString());

        try (Storage storage = Arbor.storage(arbor.dataDir())) {
            Storage asAlice = Accounts.open(arbor.dataDir(), storage).as("alice");
            assertEquals("hello", asAlice.database("news").get("today").path("title").asText());
            assertThrows(ArborException.Forbidden.class, () -> asAlice.database("news").put(Json.parseObject("{\"_id\":\"x\"}")));
        }
    }

    @Test
    void aMalformedStatementIsRefusedAndNothingIsWritten() {
        var result = arbor.run("group", "put", "bad", "[{\"resources\": [[\"arbor\", 1.5]], \"actions\": [\"*\"]}]");
        assertNotEquals(0, result.exitCode());
        assertTrue(result.stderr().contains("bad_request"), result.stderr());
        assertEquals(Json.parse("{}"), arbor.ok("group", "list"));
    }

    @Test
    void deletingWhatIsNotThereIsNotFound() {
        arbor.ok("user", "put", "alice", "--password", "wonder");
        arbor.ok("user", "delete", "alice");
        var again = arbor.run("user", "delete", "alice");
        assertNotEquals(0, again.exitCode());
        assertTrue(again.stderr().contains("not_found"), again.stderr());
        assertEquals(Json.parse("{}"), arbor.ok("user", "list"));
    }
}
