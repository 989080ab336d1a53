package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.permission.PermissionGroup;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.permission.PermittedStorage;
import dev.arbor.api.permission.Role;
import dev.arbor.api.permission.Statement;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.UserCtx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Users, permission groups and roles of a storage, managed in Java as the HTTP API manages them: users are
 * {@code _users} documents (the password hashed with the server's settings from {@code arbor.ini}, as a
 * {@code PUT /_users/org.couchdb.user:NAME} by an admin stores it), groups and roles are {@code _permissions}
 * documents, checked as the server checks them. {@link #as} gives the storage as one user, through the same
 * statements the server would apply to that user's requests (their groups, their roles' groups and the configured
 * {@code [permissions] authenticated}; a database's {@code _security} is CouchDB's HTTP model and is not consulted).
 *
 * <pre>{@code
 * Accounts accounts = Accounts.open(dataDir, storage);
 * accounts.putGroup(new PermissionGroup("readers", List.of(Statement.grant(ResourceName.database("news"),
 *         Action.DATABASE_READ_DOCUMENT))));
 * accounts.putUser("alice", "wonder", List.of(), List.of("readers"));
 * Storage asAlice = accounts.as("alice");
 * }</pre>
 *
 * Not thread-safe for concurrent edits of one account (a lost update answers {@code conflict}); reads are safe.
 */
public final class Accounts {
    private static final UserCtx ADMIN = new UserCtx(null, List.of(SecurityPolicy.ADMIN_ROLE));

    private final Storage storage;
    private final UsersDatabase users;
    private final AuthSettings settings;
    private final PermissionDirectory directory;

    private Accounts(Storage storage, AuthSettings settings) {
        this.storage = storage;
        this.settings = settings;
        this.users = new UsersDatabase(new PasswordHasher(settings.prf(), settings.iterations()));
        this.directory = new PermissionDirectory(storage);
    }

    /** The accounts of {@code storage}, with the password and permission settings of {@code dataDir/arbor.ini}. */
    public static Accounts open(Path dataDir, Storage storage) {
        return new Accounts(storage, AuthSettings.load(EditableIniFile.load(dataDir.resolve(ServerAuth.INI_FILE))));
    }

    // ---- users

    /** Creates or replaces {@code name}'s user document; its password is stored hashed, never in plain text. */
    public void putUser(String name, String password, List<String> roles, List<String> groups) {
        ObjectNode doc = Json.object();
        doc.put("_id", UsersDatabase.docId(name));
        doc.put("name", name);
        doc.put("type", "user");
        ArrayNode roleNames = doc.putArray("roles");
        roles.forEach(roleNames::add);
        ArrayNode groupNames = doc.putArray("groups");
        groups.forEach(groupNames::add);
        doc.put("password", password);
        Database db = system(UsersDatabase.NAME);
        ObjectNode old = current(db, doc.path("_id").textValue());
        if (old != null) {
            doc.put("_rev", old.path("_rev").textValue());
        }
        db.put(users.prepareWrite(ADMIN, db.getSecurity(), doc, old));
    }

    /** Deletes {@code name}'s user document; false when there was none. */
    public boolean deleteUser(String name) {
        return delete(UsersDatabase.NAME, UsersDatabase.docId(name));
    }

    /** The users by name: their roles and groups (never their password hashes). */
    public Map<String, ObjectNode> users() {
        Map<String, ObjectNode> found = new TreeMap<>();
        for (ObjectNode doc : documents(UsersDatabase.NAME)) {
            String id = doc.path("_id").asText();
            if (!id.startsWith(UsersDatabase.ID_PREFIX)) {
                continue;
            }
            ObjectNode shown = Json.object();
            shown.set("roles", doc.path("roles").isArray() ? doc.get("roles") : Json.MAPPER.createArrayNode());
            shown.set("groups", doc.path("groups").isArray() ? doc.get("groups") : Json.MAPPER.createArrayNode());
            found.put(id.substring(UsersDatabase.ID_PREFIX.length()), shown);
        }
        return found;
    }

    // ---- groups and roles

    /** Creates or replaces a permission group. */
    public void putGroup(PermissionGroup group) {
        ObjectNode doc = Json.object();
        doc.put("_id", PermissionDirectory.GROUP_PREFIX + group.name());
        ArrayNode statements = doc.putArray("statements");
        group.statements().forEach(statement -> statements.add(statement.toJson()));
        putPermissionsDocument(doc);
    }

    /** Creates or replaces a role: the groups it gives. */
    public void putRole(Role role) {
        ObjectNode doc = Json.object();
        doc.put("_id", PermissionDirectory.ROLE_PREFIX + role.name());
        ArrayNode groupNames = doc.putArray("groups");
        role.groups().forEach(groupNames::add);
        putPermissionsDocument(doc);
    }

    public boolean deleteGroup(String name) {
        return delete(PermissionDirectory.NAME, PermissionDirectory.GROUP_PREFIX + name);
    }

    public boolean deleteRole(String name) {
        return delete(PermissionDirectory.NAME, PermissionDirectory.ROLE_PREFIX + name);
    }

    public Map<String, PermissionGroup> groups() {
        Map<String, PermissionGroup> found = new TreeMap<>();
        for (ObjectNode doc : documents(PermissionDirectory.NAME)) {
            if (PermissionDirectory.validate(doc) instanceof PermissionGroup group) {
                found.put(group.name(), group);
            }
        }
        return found;
    }

    public Map<String, Role> roles() {
        Map<String, Role> found = new TreeMap<>();
        for (ObjectNode doc : documents(PermissionDirectory.NAME)) {
            if (PermissionDirectory.validate(doc) instanceof Role role) {
                found.put(role.name(), role);
            }
        }
        return found;
    }

    // ---- acting as a user

    /** What {@code name} may do: their groups, their roles' groups, and what every logged-in user is given. */
    public Permissions permissionsOf(String name) {
        ObjectNode doc = current(system(UsersDatabase.NAME), UsersDatabase.docId(name));
        if (doc == null) {
            throw new ArborException.NotFound("no user " + name);
        }
        List<String> roles = new ArrayList<>();
        doc.path("roles").forEach(role -> roles.add(role.asText()));
        return settings.authenticatedPermissions().and(directory.permissions(new UserCtx(name, roles)));
    }

    /** The storage as {@code name}: every call checked against {@link #permissionsOf}. */
    public Storage as(String name) {
        return PermittedStorage.of(storage, permissionsOf(name));
    }

    // ---- documents of the system databases

    private void putPermissionsDocument(ObjectNode doc) {
        PermissionDirectory.validate(doc);
        Database db = system(PermissionDirectory.NAME);
        ObjectNode old = current(db, doc.path("_id").textValue());
        if (old != null) {
            doc.put("_rev", old.path("_rev").textValue());
        }
        db.put(doc);
    }

    /** The system database, created as the server creates it: open to server admins only. */
    private Database system(String name) {
        if (!storage.exists(name)) {
            try {
                Database created = storage.createDatabase(name);
                created.setSecurity(new SecurityPolicy(storage, settings.defaultSecurity()).securityForNewDatabase());
                return created;
            } catch (ArborException.PreconditionFailed createdMeanwhile) {
                // fall through to open it
            }
        }
        return storage.database(name);
    }

    private static ObjectNode current(Database db, String id) {
        try {
            return db.get(id);
        } catch (ArborException.NotFound absent) {
            return null;
        }
    }

    private boolean delete(String database, String id) {
        if (!storage.exists(database)) {
            return false;
        }
        Database db = storage.database(database);
        ObjectNode old = current(db, id);
        if (old == null) {
            return false;
        }
        db.remove(id, old.path("_rev").textValue());
        return true;
    }

    private List<ObjectNode> documents(String database) {
        if (!storage.exists(database)) {
            return List.of();
        }
        List<ObjectNode> docs = new ArrayList<>();
        for (AllDocsRow row : storage.database(database).allDocs(AllDocsOptions.DEFAULT.includeDocs(true)).rows()) {
            JsonNode doc = row.doc();
            if (doc instanceof ObjectNode object && !row.id().startsWith("_design/")) {
                docs.add(object);
            }
        }
        return docs;
    }
}
