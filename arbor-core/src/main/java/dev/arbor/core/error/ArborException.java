package dev.arbor.core.error;

/**
 * Every failure Arbor reports to a caller, shaped as CouchDB reports it: a kind (the subclass), a short
 * {@code error} token and a human {@code reason}. The hierarchy is sealed so the HTTP edge can map each
 * kind to its status exhaustively ({@code dev.arbor.wire.HttpStatus}; the core knows no HTTP) and Java
 * callers can catch the kind they handle ({@code catch (ArborException.Conflict e)}).
 */
public abstract sealed class ArborException extends RuntimeException {
    private final String error;

    private ArborException(String error, String reason, Throwable cause) {
        super(reason, cause);
        this.error = error;
    }

    /** CouchDB's error token, e.g. {@code not_found}, {@code conflict}, {@code doc_validation}. */
    public String error() {
        return error;
    }

    /** CouchDB's human-readable reason, e.g. {@code missing}, {@code deleted}. */
    public String reason() {
        return getMessage();
    }

    /** A document, revision, attachment or database that does not exist. */
    public static final class NotFound extends ArborException {
        public NotFound(String reason) { super("not_found", reason, null); }
    }

    /** An edit whose revision is not a current leaf (a stale or missing {@code _rev}). */
    public static final class Conflict extends ArborException {
        public Conflict() { this("Document update conflict."); }
        public Conflict(String reason) { super("conflict", reason, null); }
    }

    /** Malformed input. {@code error} is {@code bad_request}, {@code doc_validation}, {@code illegal_database_name}, ... */
    public static final class BadRequest extends ArborException {
        public BadRequest(String reason) { this("bad_request", reason); }
        public BadRequest(String error, String reason) { super(error, reason, null); }
        public BadRequest(String error, String reason, Throwable cause) { super(error, reason, cause); }
    }

    /** The caller is not authenticated (or not as someone allowed). */
    public static final class Unauthorized extends ArborException {
        public Unauthorized(String reason) { super("unauthorized", reason, null); }
    }

    /** The caller is known but not allowed, or a validation function said {@code forbidden}. */
    public static final class Forbidden extends ArborException {
        public Forbidden(String reason) { super("forbidden", reason, null); }
    }

    /** A precondition failed, e.g. {@code file_exists} when creating a database that exists. */
    public static final class PreconditionFailed extends ArborException {
        public PreconditionFailed(String error, String reason) { super(error, reason, null); }
    }

    /** A document, attachment or request over a configured limit. */
    public static final class TooLarge extends ArborException {
        public TooLarge(String reason) { super("too_large", reason, null); }
        public TooLarge(String error, String reason) { super(error, reason, null); }

        /** CouchDB's {@code document_too_large}: the reason is the document's id (empty when it has none yet). */
        public static TooLarge document(String id) { return new TooLarge("document_too_large", id == null ? "" : id); }

        /** CouchDB's {@code attachment_too_large}: the reason is the attachment's name. */
        public static TooLarge attachment(String name) { return new TooLarge("attachment_too_large", name); }
    }

    /**
     * A query that failed on what the user's data or design functions gave it, with CouchDB's own error token,
     * such as {@code invalid_value} from a built-in reduce over non-numbers or {@code error} from a {@code _changes}
     * filter that throws. CouchDB reports these as server errors, as {@link Internal}; unlike it they are no fault of Arbor.
     */
    public static final class QueryFailed extends ArborException {
        public QueryFailed(String error, String reason) { super(error, reason, null); }
    }

    /** A failure of Arbor or of the storage underneath it (I/O error, disk full). Nothing is half-written. */
    public static final class Internal extends ArborException {
        public Internal(String reason, Throwable cause) { super("internal_server_error", reason, cause); }
    }
}
