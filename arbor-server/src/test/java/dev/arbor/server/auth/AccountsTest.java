package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.PermissionGroup;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.api.permission.Role;
import dev.arbor.api.permission.Statement;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.UserCtx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users, groups and roles managed in Java, and the storage used as one of those users. */
class AccountsTest {
    @TempDir
    Path dir;
    private Storage storage;
    private Accounts accounts;

    @BeforeEach
    void open() throws Exception {
        Files.writeString(dir.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");
        storage = Arbor.storage(dir);
        accounts = Accounts.open(dir, storage);
        Database news = storage.createDatabase("news");
        news.put(Json.parseObject("{\"_id\":\"today\",\"title\":\"hello\"}"));
        accounts.putGroup(new PermissionGroup("readers", List.of(Statement.grant(ResourceName.database("news"),
                Action.DATABASE_READ_DOCUMENT))));
        accounts.putRole(new Role("staff", List.of("readers")));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aUserReachesGroupsThroughRolesAndDirectly() {
        accounts.putUser("alice", "wonder", List.of("staff"), List.of());
        accounts.putUser("bob", "builder", List.of(), List.of("readers"));
        accounts.putUser("carol", "singer", List.of(), List.of());
        for (String reader : List.of("alice", "bob")) {
            assertEquals("hello", accounts.as(reader).database("news").get("today").path("title").asText(), reader);
            assertThrows(ArborException.Forbidden.class,
                    () -> accounts.as(reader).database("news").put(Json.parseObject("{\"_id\":\"x\"}")), reader);
        }
        assertThrows(ArborException.Forbidden.class, () -> accounts.as("carol").database("news").get("today"));
        assertThrows(ArborException.NotFound.class, () -> accounts.as("nobody"));
    }

    @Test
    void passwordsAreStoredHashedAndLogInOverTheServersRules() {
        accounts.putUser("alice", "wonder", List.of("staff"), List.of("readers"));
        ObjectNode stored = storage.database(UsersDatabase.NAME).get(UsersDatabase.docId("alice"));
        assertFalse(stored.has("password"));
        assertTrue(stored.path("derived_key").isTextual());
        assertEquals(Json.parse("{\"roles\":[\"staff\"],\"groups\":[\"readers\"]}"), accounts.users().get("alice"));

        ServerAuth auth = ServerAuth.open(dir, storage, "root:rootpw");
        UserCtx user = auth.authenticate("Basic " + Base64.getEncoder().encodeToString("alice:wonder".getBytes(StandardCharsets.UTF_8)), null);
        assertEquals("alice", user.name());
        assertEquals(List.of("staff"), user.roles());
    }

    @Test
    void replacingAndDeletingKeepOneDocumentEach() {
        accounts.putUser("alice", "wonder", List.of(), List.of());
        accounts.putUser("alice", "changed", List.of(), List.of("readers"));
        assertEquals("hello", accounts.as("alice").database("news").get("today").path("title").asText());
        accounts.putGroup(new PermissionGroup("readers", List.of()));
        assertThrows(ArborException.Forbidden.class, () -> accounts.as("alice").database("news").get("today"),
                "the group's statements were replaced");
        assertEquals(List.of("readers"), List.copyOf(accounts.groups().keySet()));
        assertEquals(List.of("staff"), List.copyOf(accounts.roles().keySet()));
        assertTrue(accounts.deleteRole("staff"));
        assertFalse(accounts.deleteRole("staff"));
        assertTrue(accounts.deleteGroup("readers"));
        assertTrue(accounts.deleteUser("alice"));
        assertTrue(accounts.users().isEmpty());
    }
}
