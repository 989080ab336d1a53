package dev.arbor.api.custom;

/**
 * The typed failure of a custom API, as BonsaiDb's {@code Api::Error}: a handler throws it with a record of the API's
 * {@link Api#errorType}, and the caller catches it with that record rebuilt. Failures that are not the API's own (bad
 * input, refused permissions, a missing database) stay {@link dev.arbor.core.error.ArborException}s on both ends.
 */
public final class ApiException extends RuntimeException {
    private final transient Object error;

    /** @param error a record of the API's error type */
    public ApiException(Object error) {
        super(String.valueOf(error), null, false, false);
        this.error = java.util.Objects.requireNonNull(error, "error");
    }

    /** The error record. */
    public Object error() {
        return error;
    }

    /** The error record as {@code type}; a {@link ClassCastException} if it is another. */
    public <E> E error(Class<E> type) {
        return type.cast(error);
    }
}
