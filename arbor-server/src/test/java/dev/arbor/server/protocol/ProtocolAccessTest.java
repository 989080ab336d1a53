package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.PermissionGroup;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.api.permission.Statement;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection acts as the user who opened it, and each operation is decided as the HTTP API decides it: the database's
 * {@code _security}, then the user's statements.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolAccessTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    private static final String SECURITY = "{\"members\":{\"names\":[\"member\"],\"roles\":[]},\"admins\":{\"names\":[],\"roles\":[]}}";

    @BeforeAll
    void users() {
        Database members = server.storage().createDatabase("members-only");
        members.setSecurity(Json.parseObject(SECURITY));
        members.put(Json.parseObject("{\"_id\":\"d\",\"n\":1}"));
        server.accounts().putUser("member", "memberpw", List.of(), List.of());
        server.accounts().putUser("outsider", "outsiderpw", List.of(), List.of());
        // Writes documents everywhere but may not read them: write_document without read_document.
        server.accounts().putGroup(new PermissionGroup("writers", List.of(
                Statement.grant(ResourceName.database("open"), Action.DATABASE_WRITE_DOCUMENT))));
        server.accounts().putUser("writer", "writerpw", List.of(), List.of("writers"));
        // Alice's statements give her the documents under "alice/" of a database whose members she is not.
        Database shared = server.storage().createDatabase("shared");
        shared.setSecurity(Json.parseObject("{\"members\":{\"names\":[\"nobody\"],\"roles\":[]},\"admins\":{\"names\":[],\"roles\":[]}}"));
        shared.put(Json.parseObject("{\"_id\":\"alice/1\"}"));
        shared.put(Json.parseObject("{\"_id\":\"bob/1\"}"));
        server.accounts().putGroup(new PermissionGroup("alices", List.of(Statement.grant(
                ResourceName.documentsWithPrefix("shared", "alice/"), Action.DATABASE_READ_DOCUMENT, Action.DATABASE_WRITE_DOCUMENT))));
        server.accounts().putUser("alice", "alicepw", List.of(), List.of("alices"));
        Database open = server.storage().createDatabase("open");
        open.setSecurity(Json.parseObject("{\"members\":{\"names\":[\"nobody\"],\"roles\":[]},\"admins\":{\"names\":[],\"roles\":[]}}"));
        open.put(Json.parseObject("{\"_id\":\"d\"}"));
    }

    @Test
    void aMemberReadsTheDatabase() {
        try (ProtocolStorage member = server.connect("member", "memberpw")) {
            assertEquals(1, member.database("members-only").get("d").get("n").asInt());
        }
    }

    @Test
    void aUserWhoIsNotAMemberIsForbidden() {
        try (ProtocolStorage outsider = server.connect("outsider", "outsiderpw")) {
            ArborException.Forbidden refused = assertThrows(ArborException.Forbidden.class,
                    () -> outsider.database("members-only").get("d"));
            assertEquals("forbidden", refused.error());
        }
    }

    @Test
    void aUserWithoutReadDocumentIsForbiddenToReadButMayWrite() {
        try (ProtocolStorage writer = server.connect("writer", "writerpw")) {
            Database open = writer.database("open");
            ObjectNode doc = Json.parseObject("{\"_id\":\"new\"}");
            assertEquals("new", open.put(doc).id());
            assertThrows(ArborException.Forbidden.class, () -> open.get("d"));
        }
    }

    @Test
    void aUserGivenSomeDocumentsSeesThoseAloneAsOverHttp() {
        try (ProtocolStorage alice = server.connect("alice", "alicepw")) {
            Database shared = alice.database("shared");
            assertEquals(List.of("alice/1"), shared.allDocs(dev.arbor.api.AllDocsOptions.DEFAULT).rows().stream()
                    .map(dev.arbor.api.AllDocsRow::id).toList());
            assertThrows(ArborException.NotFound.class, () -> shared.get("bob/1"), "hidden as if absent");
            assertEquals("alice/2", shared.put(Json.parseObject("{\"_id\":\"alice/2\"}")).id());
            assertThrows(ArborException.Forbidden.class, () -> shared.put(Json.parseObject("{\"_id\":\"bob/2\"}")));
        }
    }

    @Test
    void anAnonymousConnectionMayNotListDatabases() {
        try (ProtocolStorage anonymous = new ProtocolStorage(ProtocolConnection.open(
                java.net.URI.create("ws://127.0.0.1:" + server.port()), Duration.ofSeconds(30)))) {
            assertThrows(ArborException.Unauthorized.class, anonymous::listDatabases);
        }
    }

    @Test
    void aServerAdminManagesUsersOverTheProtocolAsOverHttp() {
        try (ProtocolStorage admin = server.connectAsAdmin()) {
            // Setting roles is an admin's act: the _users guard must see the connection's admin, not a sign-up.
            admin.database("_users").put(Json.parseObject("{\"_id\":\"org.couchdb.user:carol\",\"name\":\"carol\","
                    + "\"type\":\"user\",\"roles\":[\"staff\"],\"password\":\"carolpw\"}"));
        }
        try (ProtocolStorage carol = server.connect("carol", "carolpw")) {
            assertTrue(carol.exists("_users"), "carol logs in with the password the admin set");
        }
        assertEquals("staff", server.storage().database("_users").get("org.couchdb.user:carol").get("roles").get(0).asText());
    }

    @Test
    void fiveWrongPasswordsLockTheUserOutOfTheProtocolAsOfHttp() {
        server.accounts().putUser("guessed", "right", List.of(), List.of());
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThrows(ArborException.Unauthorized.class, () -> server.connect("guessed", "wrong"), "attempt");
        }
        ArborException.Forbidden locked = assertThrows(ArborException.Forbidden.class, () -> server.connect("guessed", "right"));
        assertEquals("Account is temporarily locked due to multiple authentication failures", locked.reason());
    }

    @Test
    void aWrongPasswordIsRefusedBeforeAnyConnectionExists() {
        ArborException.Unauthorized refused = assertThrows(ArborException.Unauthorized.class,
                () -> server.connect("member", "wrong"));
        assertEquals("unauthorized", refused.error());
    }
}
