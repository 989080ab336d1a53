package dev.arbor.protocol;

import dev.arbor.core.error.ArborException;
import dev.arbor.wire.CouchErrors;
import dev.arbor.wire.HttpStatus;

/**
 * Failures both ways, by the same mapping as the HTTP API ({@link HttpStatus} and its reverse {@link CouchErrors}):
 * a caller of a database over this protocol sees exactly the {@code ArborException} a local or HTTP caller sees.
 */
public final class ProtocolErrors {
    private ProtocolErrors() {}

    /** The failure frame answering request {@code id} that failed with {@code e}. */
    public static Frame.Failure failure(long id, ArborException e) {
        return new Frame.Failure(id, HttpStatus.of(e), e.error(), e.reason());
    }

    /** The exception a failure frame stands for. */
    public static ArborException exception(Frame.Failure failure) {
        return CouchErrors.from(failure.status(), failure.error(), failure.reason());
    }
}
