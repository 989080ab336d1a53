package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.DocumentAccess;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.UserCtx;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A database's {@code _security} object is expressed as statements: admins, members and the public database. */
class CouchSecurityTest {
    private static final ObjectNode SECURITY = Json.parseObject("""
            {"admins": {"names": ["ann"], "roles": ["ops"]},
             "members": {"names": ["erin"], "roles": ["staff"]}}""");
    private static final ResourceName BLOG = ResourceName.database("blog");

    @Test
    void serverAdminsMayDoEverything() {
        assertSame(Permissions.ALL, CouchSecurity.permissions("blog", new UserCtx("root", List.of("_admin")), SECURITY));
    }

    @Test
    void databaseAdminsHaveEveryDatabaseActionOnThatDatabaseOnly() {
        for (UserCtx admin : List.of(new UserCtx("ann", List.of()), new UserCtx("bob", List.of("ops")))) {
            Permissions permissions = CouchSecurity.permissions("blog", admin, SECURITY);
            assertTrue(permissions.allowed(BLOG, Action.DATABASE_MANAGE_SECURITY));
            assertTrue(permissions.allowed(ResourceName.document("blog", "d"), Action.DATABASE_WRITE_DOCUMENT));
            assertTrue(permissions.allowed(BLOG, Action.DATABASE_COMPACT));
            assertFalse(permissions.allowed(ResourceName.database("other"), Action.DATABASE_READ_DOCUMENT));
            assertFalse(permissions.allowed(ResourceName.server(), Action.SERVER_CREATE_DATABASE));
        }
    }

    @Test
    void membersReadWriteQueryAndReplicateButDoNotAdminister() {
        for (UserCtx member : List.of(new UserCtx("erin", List.of()), new UserCtx("carol", List.of("staff")))) {
            Permissions permissions = CouchSecurity.permissions("blog", member, SECURITY);
            for (Action action : CouchSecurity.MEMBER_ACTIONS) {
                assertTrue(permissions.allowed(BLOG, action), action.qualifiedName());
            }
            assertFalse(permissions.allowed(BLOG, Action.DATABASE_MANAGE_SECURITY));
            assertFalse(permissions.allowed(BLOG, Action.DATABASE_COMPACT));
            assertInstanceOf(DocumentAccess.All.class, permissions.documents("blog", Action.DATABASE_READ_DOCUMENT));
        }
    }

    @Test
    void othersGetNothingUnlessTheDatabaseNamesNoMember() {
        UserCtx dave = new UserCtx("dave", List.of("other"));
        assertFalse(CouchSecurity.permissions("blog", dave, SECURITY).allowed(BLOG, Action.DATABASE_READ_DOCUMENT));
        assertFalse(CouchSecurity.permissions("blog", UserCtx.ANONYMOUS, SECURITY)
                .allowed(BLOG, Action.DATABASE_READ_DOCUMENT));

        ObjectNode publicDb = Json.parseObject("{\"admins\": {\"names\": [\"ann\"]}}");
        Permissions anonymous = CouchSecurity.permissions("blog", UserCtx.ANONYMOUS, publicDb);
        assertTrue(anonymous.allowed(BLOG, Action.DATABASE_WRITE_DOCUMENT), "a database without members is public");
        assertFalse(anonymous.allowed(BLOG, Action.DATABASE_MANAGE_SECURITY));
    }
}
