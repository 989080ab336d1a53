package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.GetOptions;
import dev.arbor.api.Storage;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.http.UserCtx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the credentials of a user by name, as CouchDB's {@code couch_auth_cache:get_user_creds}: a server
 * admin from {@code [admins]} first (with role {@code _admin}, plus the roles of a {@code _users} doc of the
 * same name if there is one), else the {@code _users} document. Reads go to storage each time, so a
 * password change or a deleted user takes effect on the next request.
 */
final class UserDirectory {
    private final Admins admins;
    private final Storage storage;

    UserDirectory(Admins admins, Storage storage) {
        this.admins = admins;
        this.storage = storage;
    }

    Optional<StoredUser> find(String name) {
        Optional<ObjectNode> doc = userDoc(name);
        Optional<PasswordHash> adminHash = admins.hashOf(name);
        if (adminHash.isPresent()) {
            List<String> roles = new ArrayList<>(List.of(SecurityPolicy.ADMIN_ROLE));
            doc.ifPresent(d -> roles(d).stream().filter(r -> !roles.contains(r)).forEach(roles::add));
            return Optional.of(new StoredUser(name, roles, adminHash.get()));
        }
        return doc.flatMap(d -> passwordHash(d).map(hash -> new StoredUser(name, roles(d), hash)));
    }

    private Optional<ObjectNode> userDoc(String name) {
        if (!storage.exists(UsersDatabase.NAME)) {
            return Optional.empty();
        }
        ObjectNode doc;
        try {
            doc = storage.database(UsersDatabase.NAME).get(UsersDatabase.docId(name), GetOptions.DEFAULT.conflicts(true));
        } catch (ArborException.NotFound e) {
            return Optional.empty();
        }
        if (doc.has("_conflicts")) {
            // Which revision's password counts would be arbitrary; CouchDB refuses the login instead.
            throw new ArborException.Unauthorized("User document conflicts must be resolved before the document"
                    + " is used for authentication purposes.");
        }
        return Optional.of(doc);
    }

    private static List<String> roles(ObjectNode doc) {
        List<String> roles = new ArrayList<>();
        doc.path("roles").forEach(role -> {
            if (role.isTextual()) {
                roles.add(role.textValue());
            }
        });
        return roles;
    }

    /** The hash fields CouchDB writes into a user doc; a doc without them cannot log in. */
    private static Optional<PasswordHash> passwordHash(ObjectNode doc) {
        String salt = doc.path("salt").textValue();
        if (salt == null) {
            return Optional.empty();
        }
        String scheme = doc.path("password_scheme").asText("simple");
        if (scheme.equals("pbkdf2")) {
            JsonNode derived = doc.get("derived_key");
            JsonNode iterations = doc.get("iterations");
            // A doc without pbkdf2_prf predates CouchDB 3.4 and was hashed with SHA-1.
            String prf = doc.path("pbkdf2_prf").asText("sha");
            if (derived == null || !derived.isTextual() || !PasswordHasher.isSupportedPrf(prf)) {
                return Optional.empty();
            }
            int count;
            if (iterations == null || !iterations.isNumber()) {
                count = 10_000; // CouchDB's fallback when the field is missing
            } else {
                // Beyond int range is certainly over the limit: let verification refuse it.
                count = iterations.canConvertToInt() ? iterations.intValue() : Integer.MAX_VALUE;
            }
            return Optional.of(new PasswordHash.Pbkdf2(prf, derived.textValue(), salt, count));
        }
        if (scheme.equals("simple") && doc.path("password_sha").isTextual()) {
            return Optional.of(new PasswordHash.Simple(doc.get("password_sha").textValue(), salt));
        }
        return Optional.empty();
    }
}
