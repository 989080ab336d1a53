package dev.arbor.server.http;

import java.util.List;

/**
 * Who is making a request, as CouchDB's {@code userCtx}: a name (null for anonymous) and roles
 * ({@code _admin} for a server admin).
 */
public record UserCtx(String name, List<String> roles) {
    public static final UserCtx ANONYMOUS = new UserCtx(null, List.of());

    public UserCtx {
        roles = List.copyOf(roles);
    }

    public boolean isAnonymous() {
        return name == null;
    }
}
