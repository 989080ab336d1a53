package dev.arbor.server.changes;

import dev.arbor.api.ChangesOptions.Style;

import java.util.Objects;

/**
 * One validated {@code _changes} request, every parameter resolved to what the feed does with it.
 * Build with {@link ChangesRequestParser} from HTTP input, or from {@link #normal()} in code.
 *
 * @param limit           at most this many rows; negative means no limit
 * @param heartbeatMillis send a heartbeat after this long without output and never end on a timeout;
 *                        0 means no heartbeat, so the feed ends after {@code timeoutMillis} without a change
 * @param timeoutMillis   how long a live feed without heartbeat waits for a change
 * @param seqInterval     only every Nth row carries its {@code seq} (the others {@code null}); 0: all do
 */
public record ChangesRequest(FeedType feed, Since since, long limit, boolean descending, boolean includeDocs,
                             boolean conflicts, boolean attachments, Style style, long heartbeatMillis,
                             long timeoutMillis, long seqInterval, ChangesFilter filter) {

    public ChangesRequest {
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(filter, "filter");
        if (heartbeatMillis < 0 || timeoutMillis < 0 || seqInterval < 0) {
            throw new IllegalArgumentException("heartbeat, timeout and seq_interval must not be negative");
        }
    }

    /** A normal feed of everything from the beginning, as {@code GET /db/_changes} with no parameters. */
    public static ChangesRequest normal() {
        return new ChangesRequest(FeedType.NORMAL, Since.BEGINNING, -1, false, false, false, false, Style.MAIN_ONLY,
                0, ChangesConfig.DEFAULT.defaultTimeoutMillis(), 0, ChangesFilter.ALL);
    }

    public boolean hasLimit() {
        return limit >= 0;
    }

    public boolean hasHeartbeat() {
        return heartbeatMillis > 0;
    }

    public ChangesRequest feed(FeedType v) { return new ChangesRequest(v, since, limit, descending, includeDocs, conflicts, attachments, style, heartbeatMillis, timeoutMillis, seqInterval, filter); }
    public ChangesRequest since(Since v) { return new ChangesRequest(feed, v, limit, descending, includeDocs, conflicts, attachments, style, heartbeatMillis, timeoutMillis, seqInterval, filter); }
    public ChangesRequest limit(long v) { return new ChangesRequest(feed, since, v, descending, includeDocs, conflicts, attachments, style, heartbeatMillis, timeoutMillis, seqInterval, filter); }
    public ChangesRequest descending(boolean v) { return new ChangesRequest(feed, since, limit, v, includeDocs, conflicts, attachments, style, heartbeatMillis, timeoutMillis, seqInterval, filter); }
    public ChangesRequest includeDocs(boolean v) { return new ChangesRequest(feed, since, limit, descending, v, conflicts, attachments, style, heartbeatMillis, timeoutMillis, seqInterval, filter); }
    public ChangesRequest conflicts(boolean v) { return new ChangesRequest(feed, since, limit, descending, includeDocs, v, attachments, style, heartbeatMillis, timeoutMillis, seqInterval, filter); }
    public ChangesRequest attachments(boolean v) { return new ChangesRequest(feed, since, limit, descending, includeDocs, conflicts, v, style, heartbeatMillis, timeoutMillis, seqInterval, filter); }
    public ChangesRequest style(Style v) { return new ChangesRequest(feed, since, limit, descending, includeDocs, conflicts, attachments, v, heartbeatMillis, timeoutMillis, seqInterval, filter); }
    public ChangesRequest heartbeatMillis(long v) { return new ChangesRequest(feed, since, limit, descending, includeDocs, conflicts, attachments, style, v, timeoutMillis, seqInterval, filter); }
    public ChangesRequest timeoutMillis(long v) { return new ChangesRequest(feed, since, limit, descending, includeDocs, conflicts, attachments, style, heartbeatMillis, v, seqInterval, filter); }
    public ChangesRequest seqInterval(long v) { return new ChangesRequest(feed, since, limit, descending, includeDocs, conflicts, attachments, style, heartbeatMillis, timeoutMillis, v, filter); }
    public ChangesRequest filter(ChangesFilter v) { return new ChangesRequest(feed, since, limit, descending, includeDocs, conflicts, attachments, style, heartbeatMillis, timeoutMillis, seqInterval, v); }
}
