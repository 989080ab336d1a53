package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.Database;
import dev.arbor.wire.CouchJson;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One {@code _changes} response being written: runs on the request's thread, writing rows to
 * {@code out} as they are read. A live feed reads in passes and parks between them on the database's
 * {@link CommitWatch}, so waiting costs no thread of its own when the caller is a virtual thread.
 *
 * <p>A feed ends when its work is done (normal feed; longpoll with rows; limit reached), when it
 * waited {@code timeout} without a change and has no heartbeat, when it is {@linkplain #cancel()
 * cancelled} (client gone, server stopping), or when a write fails because the client went away;
 * heartbeats exist to find that out. Close it to release what it holds.
 */
public final class ChangesFeed implements AutoCloseable {
    /**
     * CouchDB's default {@code limit} (#changes_args.limit), counted down by each row. It shows in the
     * output only through seq_interval, which puts the seq on rows where this count is a multiple of it.
     */
    private static final long COUCHDB_DEFAULT_LIMIT = 1_000_000_000_000_000L;

    private final Database db;
    private final ChangesRequest request;
    private final CommitWatches watches;
    private final OutputStream out;
    private final FeedFormat format;
    private final FilteredChangesReader reader;
    private final Runnable onClose;
    private volatile boolean cancelled;
    private volatile Thread runner;
    private long remaining;
    private long rowsSent;
    /**
     * When the request reached the feed; the first wait's {@code timeout} counts from here, not from when the wait
     * begins, so the time spent reading and queueing before it (seconds on a saturated server) is not added on top of
     * the client's timeout. Later waits (a continuous feed after a change) count from their own start, as CouchDB's
     * inactivity timeout does. Owned by the request's thread.
     */
    private final long openedNanos = System.nanoTime();
    private boolean waitedOnce;
    private boolean closed;

    ChangesFeed(Database db, ChangesRequest request, CommitWatches watches, OutputStream out, Runnable onClose) {
        this.db = db;
        this.request = request;
        this.watches = watches;
        this.out = out;
        this.onClose = onClose;
        this.format = FeedFormat.of(request.feed());
        this.reader = new FilteredChangesReader(db, request);
        this.remaining = request.hasLimit() ? request.limit() : COUCHDB_DEFAULT_LIMIT;
    }

    public ChangesRequest request() {
        return request;
    }

    /**
     * Writes the whole response body, returning when the feed ends. Throws {@link IOException} when
     * writing fails, which for a live feed normally means the client went away; storage errors
     * propagate as they are.
     */
    public void run() throws IOException {
        runner = Thread.currentThread();
        try {
            if (request.feed().isLive()) {
                runLive();
            } else {
                runNormal();
            }
            out.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            runner = null;
        }
    }

    /**
     * Ends the feed as soon as its thread notices: at once if it is waiting for a change, after the
     * current pass if it is sending. A cancelled live feed still writes its trailer (a client being
     * shut down on learns where to resume); the caller may call this from any thread.
     */
    public void cancel() {
        cancelled = true;
        Thread thread = runner;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void runNormal() throws IOException {
        // CouchDB reads a descending feed from the newest change back and ignores since.
        long since = request.descending() ? 0 : switch (request.since()) {
            case Since.Now now -> db.info().updateSeq().toLocal();
            case Since.After after -> after.seq();
        };
        format.begin(out);
        FilteredChangesReader.Pass pass = reader.read(since, limitForPass(), request.descending(), this::send);
        format.end(out, pass.lastSeq(), pass.pending());
    }

    private void runLive() throws IOException {
        CommitWatch watch = watches.acquire(db);
        try {
            // A live feed only moves forward; asked for descending it starts at the newest change, as CouchDB.
            long cursor = switch (request.since()) {
                case Since.Now now -> watch.updateSeq();
                case Since.After after -> request.descending() ? watch.updateSeq() : after.seq();
            };
            format.begin(out);
            boolean waitedBefore = false;
            while (true) {
                FilteredChangesReader.Pass pass = reader.read(cursor, limitForPass(), false, this::send);
                cursor = pass.lastSeq();
                if (isDone(pass)) {
                    format.end(out, cursor, pass.pending());
                    return;
                }
                if (!waitedBefore && rowsSent == 0) {
                    // As CouchDB's waiting_for_updates: a first byte, so the response starts while it waits.
                    format.heartbeat(out);
                }
                waitedBefore = true;
                out.flush();
                if (!awaitChange(watch, cursor)) {
                    format.end(out, cursor, pass.pending());
                    return;
                }
            }
        } finally {
            watches.release(watch);
        }
    }

    private boolean isDone(FilteredChangesReader.Pass pass) {
        if (cancelled) {
            return true;
        }
        if (request.feed() == FeedType.LONGPOLL) {
            return pass.rowsSent() > 0;
        }
        return request.hasLimit() && remaining <= 0;
    }

    /**
     * Parks until a change passes {@code cursor}, sending heartbeats meanwhile. False when the feed
     * should end instead: timed out without heartbeat, or cancelled.
     */
    private boolean awaitChange(CommitWatch watch, long cursor) throws IOException {
        while (true) {
            long waitMillis = request.hasHeartbeat() ? request.heartbeatMillis() : request.timeoutMillis();
            long from = waitedOnce || request.hasHeartbeat() ? System.nanoTime() : openedNanos;
            waitedOnce = true;
            long deadline = from + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            switch (watch.await(cursor, deadline, () -> cancelled)) {
                case UPDATED -> {
                    return true;
                }
                case CANCELLED -> {
                    return false;
                }
                case TIMED_OUT -> {
                    if (!request.hasHeartbeat()) {
                        return false;
                    }
                    // A dead client shows here: the write fails and the feed ends with an IOException.
                    format.heartbeat(out);
                    out.flush();
                }
            }
        }
    }

    private long limitForPass() {
        return request.hasLimit() ? remaining : -1;
    }

    private void send(ChangeRow row) {
        ObjectNode json = CouchJson.changeRow(row);
        if (request.includeDocs() && row.doc() == null) {
            json.putNull("doc");
        }
        JsonNode seq = json.get("seq");
        if (request.seqInterval() > 0 && remaining % request.seqInterval() != 0) {
            seq = NullNode.getInstance();
            json.set("seq", seq);
        }
        remaining--;
        rowsSent++;
        try {
            format.row(out, json, seq);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Releases the feed's place among the open feeds. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        onClose.run();
    }
}
