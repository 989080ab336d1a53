package dev.arbor.wire;

import dev.arbor.core.error.ArborException;

/**
 * The HTTP status CouchDB answers each kind of {@link ArborException} with. The core's errors carry a kind, an
 * error token and a reason; the status is chosen here, at the HTTP edge, by the server when it answers and by
 * {@link CouchErrors} (the reverse) when the client reads an answer back into a kind.
 */
public final class HttpStatus {
    private HttpStatus() {}

    /** The status the server answers {@code e} with: one per kind, so the switch is exhaustive over the sealed kinds. */
    public static int of(ArborException e) {
        return switch (e) {
            case ArborException.BadRequest ignored -> 400;
            case ArborException.Unauthorized ignored -> 401;
            case ArborException.Forbidden ignored -> 403;
            case ArborException.NotFound ignored -> 404;
            case ArborException.Conflict ignored -> 409;
            case ArborException.PreconditionFailed ignored -> 412;
            case ArborException.TooLarge ignored -> 413;
            // CouchDB answers a query that failed on the user's data or functions with 500 too.
            case ArborException.QueryFailed ignored -> 500;
            case ArborException.Internal ignored -> 500;
        };
    }
}
