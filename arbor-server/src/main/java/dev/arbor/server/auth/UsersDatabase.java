package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.UserCtx;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the {@code _users} database, which CouchDB spreads over {@code couch_users_db} (hashing a
 * written {@code password}, hiding other people's docs) and the {@code _design/_auth} validation function.
 * Arbor runs no JavaScript, so the validation is here, in the same order and with the same messages.
 *
 * <p>The server routes every write to {@code _users} through {@link #prepareWrite} and every document it
 * returns from {@code _users} through {@link #filterRead}. Note that with CouchDB 3's default
 * {@code admin_only} security only admins reach these rules at all; the per-document rules (a user may
 * register, read and edit their own doc) apply once an admin makes {@code _users} public, as in CouchDB 3.
 */
public final class UsersDatabase {
    public static final String NAME = "_users";
    public static final String ID_PREFIX = "org.couchdb.user:";

    static final String DESIGN_PREFIX = "_design/";
    private static final Set<String> PASSWORD_FIELDS = Set.of("derived_key", "iterations", "password",
            "password_scheme", "password_sha", "preserve_salt", "pbkdf2_prf", "salt");
    private static final Set<String> SCHEMES = Set.of("simple", "pbkdf2", "bcrypt");

    private final PasswordHasher hasher;

    public UsersDatabase(PasswordHasher hasher) {
        this.hasher = hasher;
    }

    /** The id of {@code name}'s user document. */
    public static String docId(String name) {
        return ID_PREFIX + name;
    }

    /**
     * The document to store for a write of {@code newDoc} over {@code oldDoc} (null when new or deleted)
     * by {@code writer}, given the database's {@code _security}: a {@code password} replaced by
     * {@code password_scheme}, {@code pbkdf2_prf}, {@code salt}, {@code iterations} and {@code derived_key},
     * after the checks CouchDB makes. Throws {@code not_found} when a logged-in non-admin writes someone
     * else's document (CouchDB hides its existence), {@code forbidden} when a rule fails.
     */
    public ObjectNode prepareWrite(UserCtx writer, ObjectNode security, ObjectNode newDoc, ObjectNode oldDoc) {
        String id = newDoc.path("_id").asText("");
        boolean admin = SecurityPolicy.isAdmin(writer, security);
        if (id.startsWith("_local/")) {
            return newDoc;
        }
        if (id.startsWith(DESIGN_PREFIX)) {
            // CouchDB runs no validation function on design docs; it only requires a (db) admin.
            SecurityPolicy.check(writer, security, Access.DB_ADMIN);
            return newDoc;
        }
        // couch_users_db:before_doc_update: anonymous may register, named users touch only their own doc.
        if (!admin && !writer.isAnonymous() && !id.equals(docId(writer.name()))) {
            throw new ArborException.NotFound("missing");
        }
        ObjectNode doc = hashPassword(newDoc);
        validate(writer, admin, doc, oldDoc);
        return doc;
    }

    /**
     * What {@code reader} may see of a {@code _users} document: all of it for admins and the doc's owner;
     * design docs only for admins (403); other people's docs are {@code not_found}, as CouchDB answers
     * when no {@code public_fields} are configured.
     */
    public static ObjectNode filterRead(UserCtx reader, ObjectNode security, ObjectNode doc) {
        String id = doc.path("_id").asText("");
        if (SecurityPolicy.isAdmin(reader, security)) {
            return doc;
        }
        if (id.startsWith(DESIGN_PREFIX)) {
            throw new ArborException.Forbidden("Only administrators can view design docs in the users database.");
        }
        if (reader.name() != null && id.equals(docId(reader.name()))) {
            return doc;
        }
        throw new ArborException.NotFound("missing");
    }

    /** The paths that list {@code _users}: each would reveal every user, so CouchDB allows them to admins only. */
    static final Set<String> LISTINGS = Set.of("_all_docs", "_design_docs", "_local_docs", "_changes");

    /**
     * Refuses a listing ({@link #LISTINGS}) of {@code _users} to non-admins with CouchDB's reasons. For
     * {@code _changes} CouchDB has no message of its own; Arbor words it like the {@code _all_docs} one.
     */
    public static void checkListing(UserCtx reader, ObjectNode security, String listing) {
        if (SecurityPolicy.isAdmin(reader, security)) {
            return;
        }
        throw new ArborException.Forbidden(switch (listing) {
            case "_local_docs" -> "Only admins can access _local_docs";
            case "_changes" -> "Only admins can access _changes of system databases.";
            default -> "Only admins can access _all_docs of system databases.";
        });
    }

    private ObjectNode hashPassword(ObjectNode doc) {
        JsonNode password = doc.get("password");
        if (password == null || password.isNull()) {
            return doc;
        }
        if (!password.isTextual()) {
            throw new ArborException.Forbidden("Password value of '" + password + "' is invalid.");
        }
        JsonNode preserve = doc.get("preserve_salt");
        String salt = preserve != null && preserve.asBoolean(false) && doc.path("salt").isTextual()
                ? doc.get("salt").textValue()
                : hasher.newSalt();
        String derived = PasswordHasher.pbkdf2Hex(hasher.prf(), password.textValue(), salt, hasher.iterations());
        // CouchDB puts the hash fields before the rest of the body; _id and _rev stay first.
        ObjectNode out = Json.object();
        List<Map.Entry<String, JsonNode>> rest = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("_id") || field.getKey().equals("_rev")) {
                out.set(field.getKey(), field.getValue());
            } else if (!PASSWORD_FIELDS.contains(field.getKey())) {
                rest.add(field);
            }
        }
        out.put("password_scheme", "pbkdf2");
        out.put("pbkdf2_prf", hasher.prf());
        out.put("salt", salt);
        out.put("iterations", hasher.iterations());
        out.put("derived_key", derived);
        rest.forEach(field -> out.set(field.getKey(), field.getValue()));
        return out;
    }

    /** {@code _design/_auth}'s validate_doc_update, rule by rule. */
    private static void validate(UserCtx writer, boolean admin, ObjectNode doc, ObjectNode oldDoc) {
        if (doc.path("_deleted").asBoolean(false)) {
            String oldName = oldDoc == null ? null : oldDoc.path("name").textValue();
            if (admin || (writer.name() != null && writer.name().equals(oldName))) {
                return;
            }
            throw forbidden("Only admins may delete other user docs.");
        }
        if (!"user".equals(doc.path("type").textValue())) {
            throw forbidden("doc.type must be user");
        }
        JsonNode nameNode = doc.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.textValue().isEmpty()) {
            throw forbidden("doc.name is required");
        }
        String name = nameNode.textValue();
        JsonNode roles = doc.get("roles");
        if (roles == null || roles.isNull() || (roles.isBoolean() && !roles.booleanValue())
                || (roles.isTextual() && roles.textValue().isEmpty()) || (roles.isNumber() && roles.asDouble() == 0)) {
            throw forbidden("doc.roles must exist");
        }
        if (!roles.isArray()) {
            throw forbidden("doc.roles must be an array");
        }
        List<String> newRoles = new ArrayList<>();
        for (JsonNode role : roles) {
            if (!role.isTextual()) {
                throw forbidden("doc.roles can only contain strings");
            }
            newRoles.add(role.textValue());
        }
        if (!doc.path("_id").asText("").equals(docId(name))) {
            throw forbidden("Doc ID must be of the form org.couchdb.user:name");
        }
        if (oldDoc != null && !name.equals(oldDoc.path("name").textValue())) {
            throw forbidden("Usernames can not be changed.");
        }
        if (isTruthy(doc.get("password_sha")) && !isTruthy(doc.get("salt"))) {
            throw forbidden("Users with password_sha must have a salt.See /_utils/script/couch.js for example code.");
        }
        JsonNode scheme = doc.get("password_scheme");
        if (isTruthy(scheme) && !(scheme.isTextual() && SCHEMES.contains(scheme.textValue()))) {
            throw forbidden("Password scheme `" + scheme.asText() + "` not supported.");
        }
        if (scheme != null && "pbkdf2".equals(scheme.textValue())) {
            if (!doc.path("iterations").isNumber()) {
                throw forbidden("iterations must be a number.");
            }
            if (!doc.path("derived_key").isTextual()) {
                throw forbidden("derived_key must be a string.");
            }
        }
        if (!admin) {
            if (oldDoc != null) {
                if (!name.equals(writer.name())) {
                    throw forbidden("You may only update your own user document.");
                }
                List<String> oldRoles = new ArrayList<>();
                oldDoc.path("roles").forEach(role -> oldRoles.add(role.asText()));
                List<String> sortedNew = new ArrayList<>(newRoles);
                oldRoles.sort(null);
                sortedNew.sort(null);
                if (!oldRoles.equals(sortedNew)) {
                    throw forbidden("Only _admin may edit roles");
                }
            } else if (!newRoles.isEmpty()) {
                throw forbidden("Only _admin may set roles");
            }
        }
        List<String> newGroups = groups(doc);
        if (!admin && !newGroups.equals(oldDoc == null ? List.of() : groups(oldDoc))) {
            // Arbor's permission groups (PermissionDirectory), which CouchDB does not have: like roles, admins give them.
            throw forbidden("Only _admin may set groups");
        }
        for (String role : newRoles) {
            if (!role.equals("_metrics") && role.startsWith("_")) {
                throw forbidden("No system roles (starting with underscore) in users db.");
            }
        }
        if (name.startsWith("_")) {
            throw forbidden("Username may not start with underscore.");
        }
        if (name.contains(":")) {
            throw forbidden("Character `:` is not allowed in usernames.");
        }
    }

    /**
     * A user document's permission groups ({@code "groups": ["editors"]}), sorted; none when absent.
     *
     * @throws ArborException.Forbidden when {@code groups} is not an array of strings
     */
    static List<String> groups(JsonNode userDoc) {
        JsonNode groups = userDoc.get("groups");
        if (groups == null || groups.isNull()) {
            return List.of();
        }
        if (!groups.isArray()) {
            throw forbidden("doc.groups must be an array");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode group : groups) {
            if (!group.isTextual()) {
                throw forbidden("doc.groups can only contain strings");
            }
            names.add(group.textValue());
        }
        names.sort(null);
        return List.copyOf(names);
    }

    /** JavaScript truthiness of a JSON value, as the validation function tests fields. */
    private static boolean isTruthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            return !value.textValue().isEmpty();
        }
        if (value.isNumber()) {
            return value.asDouble() != 0;
        }
        return true;
    }

    private static ArborException forbidden(String reason) {
        return new ArborException.Forbidden(reason);
    }
}
