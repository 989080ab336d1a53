package dev.arbor.api.live;

import dev.arbor.api.Database;

/**
 * Live queries of one database. Mango queries and view ranges are refused as {@code _find} and views refuse them (400
 * for a malformed selector or sort, 404 for a missing view), and with 400 when they would keep more than
 * {@link #MAX_ROWS} rows ({@code skip + limit}).
 */
public interface LiveQueries {

    /** Updates a subscriber may leave unread before it is ended as lagging. */
    int DEFAULT_CAPACITY = 256;

    /** The most rows one live query keeps (its window, {@code skip + limit}, and the rows read ahead of it). */
    int MAX_ROWS = 10_000;

    /** Subscribes: {@link LiveQuery#result()} is the result now, updates follow. */
    default LiveQuery subscribe(LiveSpec spec) {
        return subscribe(spec, DEFAULT_CAPACITY);
    }

    LiveQuery subscribe(LiveSpec spec, int capacity);

    /**
     * Subscribes again where {@code from} stands (a result an earlier subscription to {@code spec} held): the new
     * subscription's result starts as {@code from}, and its first update brings it to the query's result now (an
     * empty update when nothing changed), exactly as {@link ResumeToken} says.
     */
    default LiveQuery resume(LiveSpec spec, LiveResult from) {
        return resume(spec, from, DEFAULT_CAPACITY);
    }

    LiveQuery resume(LiveSpec spec, LiveResult from, int capacity);

    /**
     * Resumes for a party that keeps the rows' contents itself (a server resuming for its client): as
     * {@link #resume(LiveSpec, LiveResult, int)} from a result holding the token's rows without contents.
     */
    default LiveQuery resume(LiveSpec spec, ResumeToken token, int capacity) {
        return resume(spec, new LiveResult(token.seq(), token.rows().stream()
                .map(ref -> new LiveRow(ref.id(), ref.key(), null, null, ref.version())).toList()), capacity);
    }

    /**
     * Live queries computed over {@code database}'s contract: its commit listener wakes them, its changes feed says
     * which documents changed, Mango and views read what a window needs. A query ends when closed, or with the error its
     * next read meets (a database closed or deleted under it).
     */
    static LiveQueries over(Database database) {
        return new LiveEngine(database);
    }
}
