package dev.arbor.server.http;

/**
 * The one place authentication and authorisation enter request handling: the {@link Router} calls
 * {@link #authenticate} for every request, then {@link #authorize} with the access its route needs.
 * The auth package supplies the real implementation; {@link #OPEN} lets every request through as
 * anonymous, for embedding and tests that do not exercise access control.
 */
public interface AccessControl {

    /** The caller named by these headers (either may be null); anonymous when there are none. Throws 401 for bad credentials. */
    UserCtx authenticate(String authorizationHeader, String cookieHeader);

    /**
     * Returns normally when {@code user} may do {@code access} on {@code dbName} (null for server-level
     * requests); throws {@link dev.arbor.core.error.ArborException.Unauthorized} (not logged in) or
     * {@link dev.arbor.core.error.ArborException.Forbidden} (logged in, not allowed).
     */
    void authorize(UserCtx user, String dbName, Access access);

    AccessControl OPEN = new AccessControl() {
        @Override
        public UserCtx authenticate(String authorizationHeader, String cookieHeader) {
            return UserCtx.ANONYMOUS;
        }

        @Override
        public void authorize(UserCtx user, String dbName, Access access) {
        }
    };
}
