package dev.arbor.api.live;

import java.time.Duration;
import java.util.Optional;

/**
 * One subscription to a live query. Its {@link #result()} starts as the first result and follows every update
 * {@link #next} hands out, so the subscriber always holds the result, and the {@link #resumeToken()}, of the last
 * update it took.
 *
 * <p>Threads: the query is computed elsewhere (an executor, or the server) and its updates wait in a queue of bounded
 * capacity; one consumer thread calls {@link #next}. When the queue would outgrow its capacity the query ends with
 * {@link LiveEnd#LAGGING} instead (after the updates already queued), and the subscriber resumes from its result.
 */
public interface LiveQuery extends AutoCloseable {

    LiveSpec spec();

    /** The result as of the last update {@link #next} returned (the first result before any). */
    LiveResult result();

    /**
     * The next update, already applied to {@link #result()}, or the end; empty when nothing came within
     * {@code timeout}. After the end, every call answers that end at once.
     */
    Optional<LiveEvent> next(Duration timeout) throws InterruptedException;

    /** What resumes this subscription where its result stands. */
    default ResumeToken resumeToken() {
        return result().token();
    }

    /** Stops the query; a waiting {@link #next} answers {@link LiveEnd#CLOSED}. */
    @Override
    void close();
}
