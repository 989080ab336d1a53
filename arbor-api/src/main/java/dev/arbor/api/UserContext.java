package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Who writes, as design documents' {@code validate_doc_update(newDoc, oldDoc, userCtx, secObj)} sees it. The
 * HTTP server runs each request as its authenticated user; an embedding application runs its writes as a user
 * with {@link #callAs}. Writes outside any {@code callAs} are anonymous (name null, no roles), so validation
 * functions judge them as CouchDB judges an anonymous request.
 *
 * @param name  null for anonymous
 * @param roles {@code _admin} for a server admin
 */
public record UserContext(String name, List<String> roles) {
    public static final UserContext ANONYMOUS = new UserContext(null, List.of());
    private static final ThreadLocal<UserContext> CURRENT = new ThreadLocal<>();

    public UserContext {
        roles = List.copyOf(roles);
    }

    /** The user the current thread writes as. */
    public static UserContext current() {
        return Objects.requireNonNullElse(CURRENT.get(), ANONYMOUS);
    }

    /** Runs {@code work} as {@code user} on this thread, then restores whoever was current. */
    public static <T> T callAs(UserContext user, Supplier<T> work) {
        UserContext previous = CURRENT.get();
        CURRENT.set(user);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /**
     * Makes {@code user} current on this thread until the returned scope is closed (for callers whose work throws
     * checked exceptions): {@code try (var scope = UserContext.enter(user)) { ... }}.
     */
    public static Scope enter(UserContext user) {
        UserContext previous = CURRENT.get();
        CURRENT.set(user);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Restores the previous user when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** CouchDB's {@code userCtx} object for a database: {@code {db, name, roles}}. */
    public ObjectNode toJson(String db) {
        ObjectNode json = Json.object();
        json.put("db", db);
        if (name == null) {
            json.putNull("name");
        } else {
            json.put("name", name);
        }
        ArrayNode roleArray = json.putArray("roles");
        roles.forEach(roleArray::add);
        return json;
    }
}
