package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.permission.PermissionGroup;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.permission.Role;
import dev.arbor.api.permission.Statement;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.http.UserCtx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's permission groups and roles, kept as documents of the {@code _permissions} database (created by an
 * admin when wanted; only server admins write it), and what they give each user:
 * <pre>
 * {"_id": "group:editors", "statements": [{"resources": [["arbor", "database", "blog"]], "actions": ["database.*"]}]}
 * {"_id": "role:editor", "groups": ["editors"]}
 * </pre>
 * A user reaches the groups named in their {@code _users} document's {@code groups} and those of the roles in its
 * {@code roles} (CouchDB's roles, which {@code _security} objects also name). A document is checked when written
 * ({@link #validate}: 400 {@code bad_request} naming what is wrong), so the directory only holds well-formed ones.
 *
 * <p>Threads: any request thread. The directory is re-read when {@code _permissions}' update sequence moves, and
 * replaced whole, never changed in place; a user's groups are read with their document when the directory has any
 * group.
 */
final class PermissionDirectory {
    static final String NAME = "_permissions";
    static final String GROUP_PREFIX = "group:";
    static final String ROLE_PREFIX = "role:";
    private static final System.Logger LOG = System.getLogger(PermissionDirectory.class.getName());

    private record Directory(String seq, Map<String, PermissionGroup> groups, Map<String, Role> roles) {
        static final Directory EMPTY = new Directory("", Map.of(), Map.of());
    }

    private final Storage storage;
    private volatile Directory directory = Directory.EMPTY;

    PermissionDirectory(Storage storage) {
        this.storage = storage;
    }

    /** What the groups and roles give {@code user}; nothing to an anonymous caller. */
    Permissions permissions(UserCtx user) {
        if (user.isAnonymous()) {
            return Permissions.NONE;
        }
        Directory current = directory();
        if (current.groups().isEmpty()) {
            return Permissions.NONE;
        }
        return Permissions.resolve(groupsOf(user.name()), user.roles(), current.groups(), current.roles());
    }

    private Directory directory() {
        if (!storage.exists(NAME)) {
            return Directory.EMPTY;
        }
        Database db;
        try {
            db = storage.database(NAME);
        } catch (ArborException.NotFound deleted) {
            return Directory.EMPTY;
        }
        String seq = latestSeq(db);
        Directory current = directory;
        if (current.seq().equals(seq)) {
            return current;
        }
        Map<String, PermissionGroup> groups = new HashMap<>();
        Map<String, Role> roles = new HashMap<>();
        for (AllDocsRow row : db.allDocs(AllDocsOptions.DEFAULT.includeDocs(true)).rows()) {
            try {
                switch (validate(row.doc())) {
                    case PermissionGroup group -> groups.put(group.name(), group);
                    case Role role -> roles.put(role.name(), role);
                    case null -> { }
                    default -> throw new IllegalStateException();
                }
            } catch (ArborException.BadRequest e) {
                // Only a replicated document can be malformed here (writes are checked): it grants nothing.
                LOG.log(System.Logger.Level.WARNING, NAME + "/" + row.id() + " is ignored: " + e.reason());
            }
        }
        Directory read = new Directory(seq, Map.copyOf(groups), Map.copyOf(roles));
        directory = read;
        return read;
    }

    /**
     * Where {@code _permissions}' log ends: its newest change, one seek (its {@code info()} would sum storage
     * properties over every space, on every request of a logged-in user).
     */
    private static String latestSeq(Database db) {
        String[] newest = {"0"};
        db.changes(dev.arbor.api.ChangesOptions.DEFAULT.descending(true).limit(1), row -> newest[0] = row.seq().toString());
        return newest[0];
    }

    /** The groups {@code name}'s {@code _users} document names: one point read, as authenticating it made. */
    private List<String> groupsOf(String name) {
        try {
            return UsersDatabase.groups(storage.database(UsersDatabase.NAME).get(UsersDatabase.docId(name)));
        } catch (ArborException.NotFound | ArborException.Forbidden noGroups) {
            return List.of(); // a server admin from the ini file, no _users, or a document without valid groups
        }
    }

    /**
     * Checks a document of {@code _permissions} as written, returning the group or role it defines (null for a
     * deletion or a design or local document).
     *
     * @throws ArborException.BadRequest naming what is wrong
     */
    static Object validate(ObjectNode doc) {
        String id = doc.path("_id").asText("");
        if (doc.path("_deleted").asBoolean(false) || id.startsWith("_design/") || id.startsWith("_local/")) {
            return null;
        }
        if (id.startsWith(GROUP_PREFIX) && id.length() > GROUP_PREFIX.length()) {
            JsonNode statements = doc.get("statements");
            if (statements == null || !statements.isArray()) {
                throw bad(id + ": a group has \"statements\", an array of statements");
            }
            List<Statement> parsed = new ArrayList<>();
            for (JsonNode statement : statements) {
                try {
                    parsed.add(Statement.fromJson(statement));
                } catch (IllegalArgumentException e) {
                    throw bad(id + ": " + e.getMessage());
                }
            }
            return new PermissionGroup(id.substring(GROUP_PREFIX.length()), parsed);
        }
        if (id.startsWith(ROLE_PREFIX) && id.length() > ROLE_PREFIX.length()) {
            JsonNode groups = doc.get("groups");
            if (groups == null || !groups.isArray()) {
                throw bad(id + ": a role has \"groups\", an array of group names");
            }
            List<String> names = new ArrayList<>();
            for (JsonNode group : groups) {
                if (!group.isTextual()) {
                    throw bad(id + ": a group name is a string, not " + group);
                }
                names.add(group.textValue());
            }
            return new Role(id.substring(ROLE_PREFIX.length()), names);
        }
        throw bad("a document of " + NAME + " is \"group:<name>\" or \"role:<name>\", not \"" + id + "\"");
    }

    private static ArborException.BadRequest bad(String reason) {
        return new ArborException.BadRequest("bad_request", reason);
    }
}
