package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.util.List;

/**
 * Who is making a request, as CouchDB's {@code userCtx}: a name (null when anonymous) and roles. Server
 * admins carry the role {@value #ADMIN_ROLE}.
 */
public record UserCtx(String name, List<String> roles) {
    public static final String ADMIN_ROLE = "_admin";
    public static final UserCtx ANONYMOUS = new UserCtx(null, List.of());

    public UserCtx {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public boolean isAnonymous() {
        return name == null;
    }

    public boolean isServerAdmin() {
        return roles.contains(ADMIN_ROLE);
    }

    /** {@code {"name": ..., "roles": [...]}}, as {@code GET /_session} shows it. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        if (name == null) {
            json.putNull("name");
        } else {
            json.put("name", name);
        }
        var array = json.putArray("roles");
        roles.forEach(array::add);
        return json;
    }
}
