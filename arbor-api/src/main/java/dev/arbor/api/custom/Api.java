package dev.arbor.api.custom;

import java.util.Objects;

/**
 * A custom server API, as BonsaiDb's {@code Api}: one descriptor, a constant shared by the server that registers its
 * handler and the clients that call it. Requests, responses and errors are records (or anything Jackson maps by its
 * properties), carried as CBOR trees of their components.
 *
 * <pre>{@code
 * record Increment(String counter, long by) {}
 * record Count(long value) {}
 * static final Api<Increment, Count> INCREMENT = Api.of("increment-counter", Increment.class, Count.class)
 *         .requires(new ApiPermission("api.increment_counter", ResourceName.api("counters")));
 * }</pre>
 *
 * @param name         unique on the server; what the client names
 * @param requestType  what the client sends
 * @param responseType what the handler answers
 * @param errorType    the error record a handler may answer with ({@link ApiException}), or {@code Void} for none
 * @param permission   what the caller needs, checked before the handler runs; null for an API anyone connected may call
 */
public record Api<Q, R>(String name, Class<Q> requestType, Class<R> responseType, Class<?> errorType,
                        ApiPermission permission) {
    public Api {
        Objects.requireNonNull(requestType, "requestType");
        Objects.requireNonNull(responseType, "responseType");
        Objects.requireNonNull(errorType, "errorType");
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("an API's name is letters, digits, '_', '.' and '-', not " + name);
        }
    }

    /** An API that needs {@code api.call} on {@code ["arbor", "api", name]} ({@link ApiPermission#callOf}), with no error record. */
    public static <Q, R> Api<Q, R> of(String name, Class<Q> requestType, Class<R> responseType) {
        return new Api<>(name, requestType, responseType, Void.class, ApiPermission.callOf(name));
    }

    /** This API needing {@code permission} instead. */
    public Api<Q, R> requires(ApiPermission permission) {
        return new Api<>(name, requestType, responseType, errorType, Objects.requireNonNull(permission, "permission"));
    }

    /** This API open to anyone connected, anonymous callers included (BonsaiDb's default; a ping, say). */
    public Api<Q, R> openToAll() {
        return new Api<>(name, requestType, responseType, errorType, null);
    }

    /** This API answering failures with {@code type} records, which callers read from {@link ApiException#error}. */
    public Api<Q, R> errors(Class<?> type) {
        return new Api<>(name, requestType, responseType, type, permission);
    }
}
