package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;

/**
 * The one way authentication and authorization enter the router (see the server design notes): who is
 * calling, and may they do this to that database.
 */
public interface AccessControl {

    /**
     * The caller named by the request's {@code Authorization} and {@code Cookie} headers (either may be
     * null). No credentials gives {@link UserCtx#ANONYMOUS}; wrong credentials throw
     * {@link ArborException.Unauthorized}; a malformed header throws {@link ArborException.BadRequest}.
     */
    UserCtx authenticate(String authorizationHeader, String cookieHeader);

    /**
     * Returns normally when {@code user} may perform {@code access} on database {@code dbName} (null for
     * server-level operations). Throws {@link ArborException.Unauthorized} (401) when the caller is not
     * logged in, or not an admin where a server admin is required, and {@link ArborException.Forbidden}
     * (403) when a known caller lacks the right, with CouchDB's reasons.
     */
    void authorize(UserCtx user, String dbName, Access access);
}
