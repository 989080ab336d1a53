package dev.arbor.server.http;

/**
 * An HTTP-level refusal that is not a database error: a wrong method (405), a wrong content type (415),
 * an unacceptable {@code Accept} (406). Sent as CouchDB's {@code {"error","reason"}} body with its status.
 */
public final class HttpError extends RuntimeException {
    private final int status;
    private final String error;
    private final java.util.Map<String, String> headers;

    public HttpError(int status, String error, String reason) {
        this(status, error, reason, java.util.Map.of());
    }

    /** @param headers sent with the error, e.g. {@code Allow} with a 405 */
    public HttpError(int status, String error, String reason, java.util.Map<String, String> headers) {
        super(reason, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = java.util.Map.copyOf(headers);
    }

    public java.util.Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String reason() {
        return getMessage();
    }
}
