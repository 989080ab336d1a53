package dev.arbor.api.live;

/**
 * The live query ended and delivers nothing more. {@code error} is a CouchDB-style token: {@value #LAGGING} when the
 * subscriber fell too far behind (its updates outgrew its capacity; it resumes from its result, losing nothing),
 * {@value #CLOSED} when the query, its database or its connection closed, or the error that stopped it.
 */
public record LiveEnd(String error, String reason) implements LiveEvent {
    public static final String LAGGING = "lagging";
    public static final String CLOSED = "closed";

    /** Whether resuming from the subscriber's result continues exactly where it stopped. */
    public boolean resumable() {
        return !error.equals("bad_request") && !error.equals("not_found") && !error.equals("forbidden");
    }
}
