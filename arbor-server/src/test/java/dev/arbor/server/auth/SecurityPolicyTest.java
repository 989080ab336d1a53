package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.api.permission.Statement;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.UserCtx;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecurityPolicyTest {
    private static final UserCtx ANON = UserCtx.ANONYMOUS;
    private static final UserCtx SERVER_ADMIN = new UserCtx("root", List.of("_admin"));
    private static final UserCtx ANN = new UserCtx("ann", List.of());
    private static final UserCtx BOB_OPS = new UserCtx("bob", List.of("ops"));
    private static final UserCtx CAROL_STAFF = new UserCtx("carol", List.of("staff"));
    private static final UserCtx DAVE = new UserCtx("dave", List.of("other"));

    /** ann is an admin by name, ops an admin role; carol's role staff is a member role. */
    private static final ObjectNode SECURITY = Json.parseObject("""
            {"admins": {"names": ["ann"], "roles": ["ops"]},
             "members": {"names": ["erin"], "roles": ["staff"]}}""");

    private static void allowed(UserCtx user, ObjectNode security, Access access) {
        assertDoesNotThrow(() -> SecurityPolicy.check(user, security, access));
    }

    private static void unauthorized(UserCtx user, ObjectNode security, Access access, String reason) {
        var e = assertThrows(ArborException.Unauthorized.class, () -> SecurityPolicy.check(user, security, access));
        assertEquals(reason, e.reason());
    }

    private static void forbidden(UserCtx user, ObjectNode security, Access access, String reason) {
        var e = assertThrows(ArborException.Forbidden.class, () -> SecurityPolicy.check(user, security, access));
        assertEquals(reason, e.reason());
    }

    @Test
    void serverAdminsPassEverything() {
        for (Access access : Access.values()) {
            allowed(SERVER_ADMIN, SECURITY, access);
        }
    }

    @Test
    void dbAdminsByNameOrRoleMayAdministerAndReadButNotServerOps() {
        for (UserCtx admin : List.of(ANN, BOB_OPS)) {
            allowed(admin, SECURITY, Access.DB_ADMIN);
            allowed(admin, SECURITY, Access.READ);
            allowed(admin, SECURITY, Access.WRITE);
            unauthorized(admin, SECURITY, Access.SERVER_ADMIN, "You are not a server admin.");
        }
    }

    @Test
    void membersByNameOrRoleMayReadAndWriteButNotAdminister() {
        UserCtx erin = new UserCtx("erin", List.of());
        for (UserCtx member : List.of(erin, CAROL_STAFF)) {
            allowed(member, SECURITY, Access.READ);
            allowed(member, SECURITY, Access.WRITE);
            forbidden(member, SECURITY, Access.DB_ADMIN, "You are not a db or server admin.");
        }
    }

    @Test
    void aLoggedInNonMemberIsForbiddenAndAnAnonymousCallerUnauthorized() {
        forbidden(DAVE, SECURITY, Access.READ, "You are not allowed to access this db.");
        forbidden(DAVE, SECURITY, Access.WRITE, "You are not allowed to access this db.");
        unauthorized(ANON, SECURITY, Access.READ, "You are not authorized to access this db.");
        unauthorized(ANON, SECURITY, Access.DB_ADMIN, "You are not a db or server admin.");
    }

    @Test
    void noMembersMeansPublicForReadingAndWritingButNotForAdministering() {
        ObjectNode adminsOnlyListed = Json.parseObject("{\"admins\": {\"names\": [\"ann\"]}, \"members\": {\"names\": [], \"roles\": []}}");
        for (ObjectNode security : List.of(Json.object(), adminsOnlyListed)) {
            allowed(ANON, security, Access.READ);
            allowed(DAVE, security, Access.WRITE);
            unauthorized(ANON, security, Access.DB_ADMIN, "You are not a db or server admin.");
            forbidden(DAVE, security, Access.DB_ADMIN, "You are not a db or server admin.");
        }
    }

    @Test
    void theOldReadersKeyCountsAsMembersWhenMembersIsAbsent() {
        ObjectNode legacy = Json.parseObject("{\"readers\": {\"names\": [\"dave\"]}}");
        allowed(DAVE, legacy, Access.READ);
        forbidden(ANN, legacy, Access.READ, "You are not allowed to access this db.");
    }

    @Test
    void serverOperationsRefuseEveryNonAdminWith401() {
        unauthorized(ANON, SECURITY, Access.SERVER_ADMIN, "You are not a server admin.");
        unauthorized(DAVE, SECURITY, Access.SERVER_ADMIN, "You are not a server admin.");
    }

    @Test
    void newDatabasesAreAdminOnlyByDefaultAsInCouchDb3() {
        try (Storage storage = Arbor.inMemoryStorage()) {
            var policy = new SecurityPolicy(storage, AuthSettings.DefaultSecurity.ADMIN_ONLY);
            ObjectNode security = policy.securityForNewDatabase();
            assertEquals(Json.parseObject("{\"members\":{\"roles\":[\"_admin\"]},\"admins\":{\"roles\":[\"_admin\"]}}"), security);
            storage.createDatabase("db").setSecurity(security);
            unauthorized(ANON, security, Access.READ, "You are not authorized to access this db.");
            assertThrows(ArborException.Forbidden.class, () -> policy.authorize(CAROL_STAFF, "db", Access.READ));
            assertDoesNotThrow(() -> policy.authorize(SERVER_ADMIN, "db", Access.DB_ADMIN));
        }
    }

    @Test
    void everyoneDefaultSecurityLeavesNewDatabasesPublic() {
        try (Storage storage = Arbor.inMemoryStorage()) {
            var policy = new SecurityPolicy(storage, AuthSettings.DefaultSecurity.EVERYONE);
            assertEquals(Json.object(), policy.securityForNewDatabase());
        }
    }

    @Test
    void authorizeReadsTheStoredSecurityObjectAndReportsMissingDatabases() {
        try (Storage storage = Arbor.inMemoryStorage()) {
            var policy = new SecurityPolicy(storage, AuthSettings.DefaultSecurity.ADMIN_ONLY);
            storage.createDatabase("db").setSecurity(SECURITY);
            assertDoesNotThrow(() -> policy.authorize(CAROL_STAFF, "db", Access.WRITE));
            assertThrows(ArborException.Forbidden.class, () -> policy.authorize(DAVE, "db", Access.READ));
            assertThrows(ArborException.NotFound.class, () -> policy.authorize(DAVE, "missing", Access.READ));
            assertThrows(ArborException.Unauthorized.class, () -> policy.authorize(ANN, null, Access.SERVER_ADMIN));
        }
    }

    @Test
    void theConfiguredStatementsGrantOnTopOfCouchDbsRulesAndNothingMore() {
        try (Storage storage = Arbor.inMemoryStorage()) {
            Permissions everyone = Permissions.of(Statement.grant(ResourceName.database("news"),
                    Action.DATABASE_READ_DOCUMENT));
            Permissions loggedIn = Permissions.of(Statement.grant(ResourceName.database("news"),
                    Action.DATABASE_WRITE_DOCUMENT));
            var policy = new SecurityPolicy(storage, AuthSettings.DefaultSecurity.ADMIN_ONLY, everyone, loggedIn, null);
            storage.createDatabase("news").setSecurity(policy.securityForNewDatabase());
            storage.createDatabase("closed").setSecurity(policy.securityForNewDatabase());

            assertDoesNotThrow(() -> policy.authorize(ANON, "news", Access.READ));
            assertThrows(ArborException.Unauthorized.class, () -> policy.authorize(ANON, "news", Access.WRITE));
            assertDoesNotThrow(() -> policy.authorize(DAVE, "news", Access.WRITE));
            assertThrows(ArborException.Forbidden.class, () -> policy.authorize(DAVE, "news", Access.DB_ADMIN));
            assertThrows(ArborException.Unauthorized.class, () -> policy.authorize(ANON, "closed", Access.READ));
            assertThrows(ArborException.Forbidden.class, () -> policy.authorize(DAVE, "closed", Access.READ));
        }
    }
}
