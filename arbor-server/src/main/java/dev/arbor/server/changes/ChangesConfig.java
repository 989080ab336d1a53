package dev.arbor.server.changes;

/**
 * Server-wide settings of the {@code _changes} feeds.
 *
 * @param maxOpenFeeds         feeds that may be open at once; past it requests are refused with 503
 * @param defaultTimeoutMillis how long a live feed without heartbeat waits for a change before it ends,
 *                             and the longest heartbeat interval; CouchDB's {@code [chttpd] changes_timeout}
 */
public record ChangesConfig(int maxOpenFeeds, long defaultTimeoutMillis) {

    /** CouchDB's 60 s timeout; a feed cap high enough for thousands of idle listeners. */
    public static final ChangesConfig DEFAULT = new ChangesConfig(10_000, 60_000);

    public ChangesConfig {
        if (maxOpenFeeds < 1) {
            throw new IllegalArgumentException("maxOpenFeeds must be positive: " + maxOpenFeeds);
        }
        if (defaultTimeoutMillis < 1) {
            throw new IllegalArgumentException("defaultTimeoutMillis must be positive: " + defaultTimeoutMillis);
        }
    }
}
