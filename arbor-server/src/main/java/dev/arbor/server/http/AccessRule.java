package dev.arbor.server.http;

/**
 * The access a route needs for one request. Usually fixed ({@link #of}); documents need more for
 * design documents, which only database admins may write. A null answer means no check (public
 * paths such as {@code /} and {@code /_up}).
 */
@FunctionalInterface
public interface AccessRule {
    Access required(HttpExchange exchange);

    AccessRule PUBLIC = exchange -> null;

    static AccessRule of(Access access) {
        return exchange -> access;
    }
}
