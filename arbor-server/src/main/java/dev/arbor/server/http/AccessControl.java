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
     * The caller named by these headers of a request from {@code peer} (the client's address, which failed passwords
     * are counted under), for a request that is no {@link HttpExchange}: a WebSocket upgrade. By default the headers
     * version.
     */
    default UserCtx authenticate(String authorizationHeader, String cookieHeader, boolean secure, String peer) {
        return authenticate(authorizationHeader, cookieHeader);
    }

    /**
     * The caller of {@code exchange}; what the {@link Router} calls. By default the headers version; an
     * implementation that answers with headers of its own (a session cookie reissued before it expires)
     * overrides this one.
     */
    default UserCtx authenticate(HttpExchange exchange) {
        return authenticate(exchange.header("Authorization"), exchange.header("Cookie"));
    }

    /**
     * Returns normally when {@code user} may do {@code access} on {@code dbName} (null for server-level
     * requests); throws {@link dev.arbor.core.error.ArborException.Unauthorized} (not logged in) or
     * {@link dev.arbor.core.error.ArborException.Forbidden} (logged in, not allowed).
     */
    void authorize(UserCtx user, String dbName, Access access);

    /**
     * Checks the access {@code exchange}'s route needs; what the {@link Router} calls. By default
     * {@link #authorize(UserCtx, String, Access)} for the exchange's caller and database; an implementation
     * with rules that depend on more of the request (which listing of which database) overrides this one.
     */
    default void authorize(HttpExchange exchange, Access access) {
        authorize(exchange.user(), exchange.db(), access);
    }

    /**
     * What {@code user} may do in the Java API's terms on {@code dbName} (null: the server), for callers that use the
     * {@code Database} contract as the user ({@code PermittedDatabase}) rather than one HTTP route: the Arbor protocol's
     * connections. The same statements {@link #authorize} decides by; everything by default, as {@link #OPEN} allows.
     */
    default dev.arbor.api.permission.Permissions permissions(UserCtx user, String dbName) {
        return dev.arbor.api.permission.Permissions.ALL;
    }

    /**
     * Runs {@code call} as a request of {@code user}'s that is no {@link HttpExchange} (a protocol connection's request,
     * on its own thread), so what reads the current request's caller (the system databases' guards, the narrowing of
     * a database to the caller's documents) sees this user. By default it just runs it.
     */
    default <T> T asCaller(UserCtx user, java.util.function.Supplier<T> call) {
        return call.get();
    }

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
