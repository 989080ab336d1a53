package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.UserCtx;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsersDatabaseTest {
    private static final ObjectNode PUBLIC = Json.object();
    private static final UserCtx ADMIN = new UserCtx("root", List.of("_admin"));
    private static final UserCtx JOE = new UserCtx("joe", List.of());
    private static final UserCtx ANN = new UserCtx("ann", List.of());

    private final PasswordHasher hasher = new PasswordHasher("sha256", 50);
    private final UsersDatabase users = new UsersDatabase(hasher);

    private static ObjectNode userDoc(String name, String roles) {
        return Json.parseObject("{\"_id\":\"org.couchdb.user:" + name + "\",\"name\":\"" + name
                + "\",\"type\":\"user\",\"roles\":" + roles + ",\"password\":\"apple\"}");
    }

    private void forbidden(String reason, UserCtx writer, ObjectNode doc, ObjectNode old) {
        var e = assertThrows(ArborException.Forbidden.class, () -> users.prepareWrite(writer, PUBLIC, doc, old));
        assertEquals(reason, e.reason());
    }

    @Test
    void aWrittenPasswordIsReplacedByCouchDbsHashFields() {
        ObjectNode stored = users.prepareWrite(ADMIN, PUBLIC, userDoc("joe", "[]"), null);
        assertFalse(stored.has("password"));
        assertEquals("pbkdf2", stored.get("password_scheme").textValue());
        assertEquals("sha256", stored.get("pbkdf2_prf").textValue());
        assertEquals(50, stored.get("iterations").intValue());
        assertTrue(stored.get("salt").textValue().matches("[0-9a-f]{32}"));
        var hash = new PasswordHash.Pbkdf2("sha256", stored.get("derived_key").textValue(), stored.get("salt").textValue(), 50);
        assertTrue(hasher.verify("apple", hash));
        assertEquals(List.of("_id", "password_scheme", "pbkdf2_prf", "salt", "iterations", "derived_key", "name", "type", "roles"),
                iterableToList(stored.fieldNames()));
    }

    @Test
    void aNewPasswordReplacesOldHashFieldsAndPreserveSaltKeepsTheSalt() {
        ObjectNode first = users.prepareWrite(ADMIN, PUBLIC, userDoc("joe", "[]"), null);
        ObjectNode edit = first.deepCopy().put("password", "pear").put("preserve_salt", true);
        ObjectNode second = users.prepareWrite(ADMIN, PUBLIC, edit, first);
        assertEquals(first.get("salt"), second.get("salt"));
        assertFalse(second.has("preserve_salt"));
        assertTrue(hasher.verify("pear", new PasswordHash.Pbkdf2("sha256", second.get("derived_key").textValue(),
                second.get("salt").textValue(), 50)));
    }

    @Test
    void aDocWithoutPasswordIsStoredAsIs() {
        ObjectNode doc = userDoc("joe", "[]");
        doc.remove("password");
        assertSame(doc, users.prepareWrite(ADMIN, PUBLIC, doc, null));
    }

    @Test
    void anonymousMayRegisterWithoutRoles() {
        ObjectNode stored = users.prepareWrite(UserCtx.ANONYMOUS, PUBLIC, userDoc("joe", "[]"), null);
        assertTrue(stored.has("derived_key"));
        forbidden("Only _admin may set roles", UserCtx.ANONYMOUS, userDoc("joe", "[\"boss\"]"), null);
    }

    @Test
    void aUserMayEditTheirOwnDocButNotTheirRoles() {
        ObjectNode old = users.prepareWrite(ADMIN, PUBLIC, userDoc("joe", "[\"staff\"]"), null);
        ObjectNode edit = old.deepCopy().put("password", "new").put("fullname", "Joe");
        assertTrue(users.prepareWrite(JOE, PUBLIC, edit, old).has("fullname"));
        ObjectNode promoted = old.deepCopy();
        promoted.putArray("roles").add("staff").add("boss");
        forbidden("Only _admin may edit roles", JOE, promoted, old);
    }

    @Test
    void aUserWritingSomeoneElsesDocGetsNotFoundAsInCouchDb() {
        var e = assertThrows(ArborException.NotFound.class,
                () -> users.prepareWrite(ANN, PUBLIC, userDoc("joe", "[]"), null));
        assertEquals("missing", e.reason());
    }

    @Test
    void anonymousCannotUpdateAnExistingUser() {
        ObjectNode old = users.prepareWrite(ADMIN, PUBLIC, userDoc("joe", "[]"), null);
        forbidden("You may only update your own user document.", UserCtx.ANONYMOUS, old.deepCopy().put("x", 1), old);
    }

    @Test
    void dbAdminsOfUsersMaySetRoles() {
        ObjectNode security = Json.parseObject("{\"admins\":{\"names\":[\"ann\"]}}");
        ObjectNode stored = users.prepareWrite(ANN, security, userDoc("joe", "[\"staff\"]"), null);
        assertEquals("staff", stored.get("roles").get(0).textValue());
    }

    @Test
    void documentShapeRulesFollowTheAuthDesignDoc() {
        ObjectNode wrongType = userDoc("joe", "[]").put("type", "person");
        forbidden("doc.type must be user", ADMIN, wrongType, null);
        ObjectNode noName = userDoc("joe", "[]");
        noName.remove("name");
        forbidden("doc.name is required", ADMIN, noName, null);
        ObjectNode noRoles = userDoc("joe", "[]");
        noRoles.remove("roles");
        forbidden("doc.roles must exist", ADMIN, noRoles, null);
        forbidden("doc.roles must be an array", ADMIN, userDoc("joe", "\"boss\""), null);
        forbidden("doc.roles can only contain strings", ADMIN, userDoc("joe", "[1]"), null);
        forbidden("Doc ID must be of the form org.couchdb.user:name", ADMIN, userDoc("joe", "[]").put("_id", "org.couchdb.user:ann"), null);
        forbidden("No system roles (starting with underscore) in users db.", ADMIN, userDoc("joe", "[\"_admin\"]"), null);
        forbidden("Username may not start with underscore.", ADMIN, userDoc("_joe", "[]"), null);
        forbidden("Character `:` is not allowed in usernames.", ADMIN, userDoc("jo:e", "[]"), null);
        forbidden("Password scheme `md5` not supported.", ADMIN, userDoc("joe", "[]").put("password_scheme", "md5").without("password"), null);
    }

    @Test
    void usernamesCannotChange() {
        ObjectNode old = users.prepareWrite(ADMIN, PUBLIC, userDoc("joe", "[]"), null);
        ObjectNode renamed = old.deepCopy().put("name", "jim").put("_id", "org.couchdb.user:jim");
        forbidden("Usernames can not be changed.", ADMIN, renamed, old);
    }

    @Test
    void onlyAdminsAndTheOwnerMayDelete() {
        ObjectNode old = users.prepareWrite(ADMIN, PUBLIC, userDoc("joe", "[]"), null);
        ObjectNode tombstone = Json.parseObject("{\"_id\":\"org.couchdb.user:joe\",\"_deleted\":true}");
        assertSame(tombstone, users.prepareWrite(JOE, PUBLIC, tombstone, old));
        assertSame(tombstone, users.prepareWrite(ADMIN, PUBLIC, tombstone, old));
        forbidden("Only admins may delete other user docs.", UserCtx.ANONYMOUS, tombstone, old);
    }

    @Test
    void designDocsInUsersAreForAdminsOnly() {
        ObjectNode ddoc = Json.parseObject("{\"_id\":\"_design/x\"}");
        assertSame(ddoc, users.prepareWrite(ADMIN, PUBLIC, ddoc, null));
        assertThrows(ArborException.Forbidden.class, () -> users.prepareWrite(JOE, PUBLIC, ddoc, null));
        var e = assertThrows(ArborException.Forbidden.class, () -> UsersDatabase.filterRead(JOE, PUBLIC, ddoc));
        assertEquals("Only administrators can view design docs in the users database.", e.reason());
    }

    @Test
    void userDocsAreReadableByTheirOwnerAndAdminsOnly() {
        ObjectNode doc = users.prepareWrite(ADMIN, PUBLIC, userDoc("joe", "[]"), null);
        assertSame(doc, UsersDatabase.filterRead(JOE, PUBLIC, doc));
        assertSame(doc, UsersDatabase.filterRead(ADMIN, PUBLIC, doc));
        assertThrows(ArborException.NotFound.class, () -> UsersDatabase.filterRead(ANN, PUBLIC, doc));
        assertThrows(ArborException.NotFound.class, () -> UsersDatabase.filterRead(UserCtx.ANONYMOUS, PUBLIC, doc));
    }

    @Test
    void listingUsersIsForAdminsOnly() {
        var e = assertThrows(ArborException.Forbidden.class, () -> UsersDatabase.checkListing(JOE, PUBLIC, "_all_docs"));
        assertEquals("Only admins can access _all_docs of system databases.", e.reason());
        UsersDatabase.checkListing(ADMIN, PUBLIC, "_all_docs");
    }

    private static List<String> iterableToList(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
