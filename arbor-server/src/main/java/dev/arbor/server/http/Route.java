package dev.arbor.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The handlers of one path shape, by method. Registering GET also answers HEAD (with the body left out).
 * A method without a handler is 405 with CouchDB's reason, "Only GET,HEAD,POST allowed", listing the
 * methods in the order they were registered.
 */
public final class Route {
    /** Answers one request; may throw {@link dev.arbor.core.error.ArborException} or {@link HttpError}. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    record Entry(AccessRule access, Handler handler) {}

    private final Map<String, Entry> byMethod = new LinkedHashMap<>();

    public Route on(String method, AccessRule access, Handler handler) {
        byMethod.put(method, new Entry(access, handler));
        if (method.equals("GET")) {
            byMethod.putIfAbsent("HEAD", new Entry(access, handler));
        }
        return this;
    }

    public Route on(String method, Access access, Handler handler) {
        return on(method, AccessRule.of(access), handler);
    }

    public Route get(Access access, Handler handler) {
        return on("GET", access, handler);
    }

    public Route put(Access access, Handler handler) {
        return on("PUT", access, handler);
    }

    public Route post(Access access, Handler handler) {
        return on("POST", access, handler);
    }

    public Route delete(Access access, Handler handler) {
        return on("DELETE", access, handler);
    }

    Entry entry(String method) {
        return byMethod.get(method);
    }

    String allowed() {
        return String.join(",", byMethod.keySet());
    }
}
