package dev.arbor.client.changes;

import dev.arbor.api.CommitEvent;
import dev.arbor.api.Seq;
import dev.arbor.api.Subscription;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * {@code onCommit} for a remote database: while anyone listens, one virtual thread waits on the
 * server's longpoll {@code _changes} feed and tells every listener the database's sequence after each
 * batch of changes. The thread starts with the first subscription and stops when the last one closes.
 *
 * <p>The feed starts from the sequence the database has when the first listener subscribes, read
 * before {@link #subscribe} returns (rather than {@code since=now}, which the server would resolve only
 * when the longpoll request arrives): a write made right after subscribing is never missed.
 *
 * <p>A remote "commit" is a batch of changes the feed reports, so several local commits may arrive as
 * one event carrying the latest sequence. Network failures are retried with growing pauses.
 */
public final class CommitFeed implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CommitFeed.class.getName());
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long LONGEST_RETRY_MILLIS = 30_000;

    /** What the feed needs from its database. */
    public interface Source {
        /** The database's current sequence. */
        Seq currentSeq();

        /**
         * Waits, up to the server's longpoll timeout, for changes after {@code since} and returns what
         * came; an empty batch when the wait timed out.
         */
        Batch poll(Seq since);
    }

    /** The outcome of one longpoll: how many rows, and the sequence to continue from. */
    public record Batch(int rows, Seq lastSeq) {}

    private final String dbName;
    private final Source source;
    private final List<Consumer<CommitEvent>> listeners = new CopyOnWriteArrayList<>();
    private Poller poller;

    public CommitFeed(String dbName, Source source) {
        this.dbName = dbName;
        this.source = source;
    }

    public synchronized Subscription subscribe(Consumer<CommitEvent> listener) {
        if (poller == null) {
            // Read first: if the server cannot be reached the caller hears it, and nothing was started.
            Seq start = source.currentSeq();
            poller = new Poller(start);
        }
        listeners.add(listener);
        return () -> unsubscribe(listener);
    }

    private synchronized void unsubscribe(Consumer<CommitEvent> listener) {
        listeners.remove(listener);
        if (listeners.isEmpty() && poller != null) {
            poller.stop();
            poller = null;
        }
    }

    @Override
    public synchronized void close() {
        listeners.clear();
        if (poller != null) {
            poller.stop();
            poller = null;
        }
    }

    private void fire(Seq seq) {
        CommitEvent event = new CommitEvent(dbName, seq);
        for (Consumer<CommitEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a commit listener of " + dbName + " failed", e);
            }
        }
    }

    /** One run of the longpoll loop; a new subscription after a stop gets a new one. */
    private final class Poller {
        private volatile boolean stopped;
        private final Thread thread;

        Poller(Seq start) {
            thread = Thread.ofVirtual().name("arbor-commit-feed-" + dbName).start(() -> loop(start));
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }

        private void loop(Seq start) {
            Seq since = start;
            int failures = 0;
            while (!stopped) {
                try {
                    Batch batch = source.poll(since);
                    failures = 0;
                    if (stopped) return;
                    if (batch.rows() > 0) fire(batch.lastSeq());
                    since = batch.lastSeq();
                } catch (RuntimeException e) {
                    if (stopped) return;
                    failures++;
                    long pause = Math.min(LONGEST_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures - 1, 16));
                    LOG.log(System.Logger.Level.WARNING, "the changes feed of " + dbName + " failed (" + e.getMessage()
                            + "); retrying in " + pause + " ms");
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }
}
