package dev.arbor.replication;

import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
import dev.arbor.api.Subscription;
import dev.arbor.core.error.ArborException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of a replication, following CouchDB's replication protocol: verify the peers, find the
 * common checkpoint, then read the source's changes (style=all_docs) since it and move them over in
 * batches ({@link BatchTransfer}), checkpointing as it goes; a continuous run then waits for the source's
 * next commit and goes on.
 *
 * <p>The changes feed is read in one streamed pass per round, batches cut from it as rows arrive, as
 * CouchDB's changes reader feeds its workers; not one {@code limit=batch_size} request per batch as
 * PouchDB does, because a limited read also reports {@code pending}, which the engine counts by scanning
 * the rest of the log: O(N) per batch, O(N²/batch) per replication.
 *
 * <p>Threads: runs on its own thread; the fetch workers only run {@code bulk_get}, the writer thread
 * only the write of one batch at a time. The source's commit
 * listener only raises {@link #knownSourceSeq} and wakes this thread.
 */
final class ReplicationJob implements Runnable {
    private static final System.Logger LOG = System.getLogger(ReplicationJob.class.getName());
    private static final int MAX_ERRORS_KEPT = 100;

    private final Database source;
    private final Database target;
    private final ReplicationOptions options;
    /** The {@code selector} option, parsed when the job starts (a malformed one fails the job at once). */
    private dev.arbor.core.mango.Selector selector;
    private final ReplicationId id;
    private final ReplicationListener listener;
    private final String sessionId = UUID.randomUUID().toString().replace("-", "");
    private final CompletableFuture<ReplicationResult> result = new CompletableFuture<>();
    private final AtomicLong knownSourceSeq = new AtomicLong(-1);
    private final Object wakeUp = new Object();
    private volatile boolean cancelled;

    private long changesRead;
    private long missingChecked;
    private long missingFound;
    private long docsRead;
    private long docsWritten;
    private long docWriteFailures;
    /** The first refused revisions, for the result; all of them are counted and logged. */
    private final List<DocWriteError> docWriteErrors = new ArrayList<>();
    private Seq processedSeq = Seq.ZERO;
    /** The run resumes from a checkpoint that holds a number, which a CouchDB source may refuse. */
    private boolean legacyCheckpoint;
    private Instant lastCheckpointTime;
    private final List<String> errors = new ArrayList<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "arbor-replication-writer");
        thread.setDaemon(true);
        return thread;
    });
    private Future<BatchTransfer.Outcome> pendingWrite;
    private Seq pendingSeq;
    private int pendingSize;

    /** Thrown from inside the changes feed to stop reading it when cancelled. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() { super(null, null, false, false); }
    }

    ReplicationJob(ReplicationId id, Database source, Database target, ReplicationOptions options, ReplicationListener listener) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.id = id;
        this.listener = listener;
    }

    ReplicationId id() {
        return id;
    }

    CompletableFuture<ReplicationResult> result() {
        return result;
    }

    void cancel() {
        cancelled = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    @Override
    public void run() {
        Instant startTime = Instant.now();
        Checkpointer checkpointer = new Checkpointer(source, target, id, sessionId, startTime);
        Seq startSeq = Seq.ZERO;
        ReplicationResult.Status status = ReplicationResult.Status.COMPLETE;
        ExecutorService fetchers = Executors.newFixedThreadPool(options.workerProcesses(), runnable -> {
            Thread thread = new Thread(runnable, "arbor-replication-fetch-" + id.base());
            thread.setDaemon(true);
            return thread;
        });
        Subscription subscription = null;
        try {
            validateOptions();
            if (options.continuous()) {
                // Subscribed before the first read, so no commit can fall between the read and the wait.
                subscription = source.onCommit(event -> {
                    knownSourceSeq.accumulateAndGet(event.updateSeq().number(), Math::max);
                    synchronized (wakeUp) {
                        wakeUp.notifyAll();
                    }
                });
            }
            startSeq = withRetries(() -> findStartSeq(checkpointer));
            processedSeq = startSeq;
            emit(new ReplicationEvent.Active(stats()));
            BatchTransfer transfer = new BatchTransfer(source, target, options.workerProcesses(), fetchers);
            lastCheckpointTime = Instant.now();
            while (!cancelled) {
                Seq readUpTo = withRetries(() -> readChangesOrRestart(transfer, checkpointer));
                // Retried like the transfer: a network fault on the last checkpoint write failed a replication whose
                // every document had been written (found by ReplicationUnderFaultsTest). Checkpointer.record
                // re-reads the log's revision, so a retry after a write that landed does not conflict.
                withRetries(() -> {
                    checkpoint(checkpointer);
                    return processedSeq;
                });
                if (!options.continuous()) {
                    break;
                }
                if (!waitForSourceBeyond(readUpTo.number())) {
                    break;
                }
            }
            if (cancelled) {
                status = ReplicationResult.Status.CANCELLED;
                checkpoint(checkpointer);
            }
        } catch (Cancelled e) {
            status = ReplicationResult.Status.CANCELLED;
            finishWriteQuietly();
            checkpointQuietly(checkpointer);
        } catch (RuntimeException e) {
            finishWriteQuietly();
            status = ReplicationResult.Status.FAILED;
            errors.add(e instanceof ArborException ae ? ae.error() + ": " + ae.reason() : e.toString());
            emit(new ReplicationEvent.Error(e, null));
            checkpointQuietly(checkpointer);
        } finally {
            if (subscription != null) {
                subscription.close();
            }
            fetchers.shutdownNow();
            writer.shutdownNow();
        }
        ReplicationResult outcome = new ReplicationResult(status != ReplicationResult.Status.FAILED, status,
                id.toString(), sessionId, startSeq, processedSeq, changesRead, missingChecked, missingFound,
                docsRead, docsWritten, docWriteFailures, docWriteErrors, errors, startTime, Instant.now());
        emit(new ReplicationEvent.Complete(outcome));
        result.complete(outcome);
    }

    private void validateOptions() {
        int selections = (options.docIds() != null ? 1 : 0) + (options.filter() != null ? 1 : 0)
                + (options.selector() != null ? 1 : 0);
        if (selections > 1) {
            throw new ArborException.BadRequest("bad_request", "`selector`, `filter` and `doc_ids` are mutually exclusive");
        }
        if (options.selector() != null) {
            selector = dev.arbor.core.mango.Selector.parse(options.selector());
        }
    }

    private Seq findStartSeq(Checkpointer checkpointer) {
        if (options.sinceSeq() != null) {
            if (options.useCheckpoints()) {
                checkpointer.startAt(options.sinceSeq());
            }
            return options.sinceSeq();
        }
        if (!options.useCheckpoints()) {
            return Seq.ZERO;
        }
        Seq found = checkpointer.findStartSeq();
        legacyCheckpoint = found instanceof Seq.Local && !found.equals(Seq.ZERO);
        return found;
    }

    /**
     * Arbor before opaque sequences checkpointed a CouchDB source's sequence as its number, which CouchDB refuses
     * as {@code since} (400). Such a checkpoint is given up once, with a warning, for a run from the start: the
     * target's {@code revs_diff} keeps it from writing again what it has, and the new checkpoint holds the token.
     */
    private Seq readChangesOrRestart(BatchTransfer transfer, Checkpointer checkpointer) {
        try {
            Seq readUpTo = readChanges(transfer, checkpointer);
            legacyCheckpoint = false;
            return readUpTo;
        } catch (ArborException.BadRequest e) {
            // CouchDB's words for a since it cannot read; any other refusal is not the checkpoint's fault.
            if (!legacyCheckpoint || changesRead > 0 || e.reason() == null || !e.reason().contains("'since'")) {
                throw e;
            }
            legacyCheckpoint = false;
            LOG.log(System.Logger.Level.WARNING, "replication {0}: {1} refused the checkpointed sequence {2} ({3}); "
                    + "replicating from the start", id, source.name(), processedSeq, e.reason());
            processedSeq = Seq.ZERO;
            return readChanges(transfer, checkpointer);
        }
    }

    /**
     * One streamed read of the changes since {@link #processedSeq}, cut into batches as it goes. Returns
     * the feed's last_seq, after which everything has been written.
     */
    private Seq readChanges(BatchTransfer transfer, Checkpointer checkpointer) {
        List<ChangeRow> batch = new ArrayList<>(options.batchSize());
        ChangesOptions changes = ChangesOptions.DEFAULT.since(processedSeq).style(ChangesOptions.Style.ALL_DOCS)
                .docIds(options.docIds()).includeDocs(options.javaFilter() != null || options.selector() != null)
                .filter(options.filter()).queryParams(options.queryParams());
        ChangesSummary summary = source.changes(changes, row -> {
            if (cancelled) {
                throw new Cancelled();
            }
            changesRead++;
            if (accepted(row)) {
                batch.add(row);
            }
            if (batch.size() >= options.batchSize()) {
                transferBatch(transfer, batch, row.seq());
                if (Duration.between(lastCheckpointTime, Instant.now()).compareTo(options.checkpointInterval()) >= 0) {
                    checkpoint(checkpointer);
                }
            }
        });
        transferBatch(transfer, batch, summary.lastSeq());
        finishWrite();
        return summary.lastSeq();
    }

    /**
     * The Java filter and the selector see the winning revision and select the whole document, every
     * leaf with it. CouchDB runs a filter over each leaf of an all_docs change; the winner is what a
     * caller can reason about, and a doc whose losing leaves differ only in being conflicts is
     * replicated whole.
     */
    private boolean accepted(ChangeRow row) {
        if (options.javaFilter() == null && selector == null) {
            return true;
        }
        return row.doc() != null
                && (options.javaFilter() == null || options.javaFilter().accepts().test(row.doc()))
                && (selector == null || selector.matches(row.doc()));
    }

    /**
     * Fetches the batch, then hands its write to the writer thread and returns, so the next batch is
     * read and fetched while this one is written (CouchDB's workers overlap the same way). Only one
     * write is in flight: {@link #processedSeq} advances when a write has finished, in feed order, so a
     * checkpoint never covers a change not yet written.
     */
    private void transferBatch(BatchTransfer transfer, List<ChangeRow> batch, Seq upToSeq) {
        BatchTransfer.Fetched fetched = batch.isEmpty() ? null : transfer.fetch(batch);
        finishWrite();
        int size = batch.size();
        batch.clear();
        if (fetched == null) {
            processedSeq = later(processedSeq, upToSeq);
            return;
        }
        pendingWrite = writer.submit(() -> transfer.write(fetched));
        pendingSeq = upToSeq;
        pendingSize = size;
    }

    /** Waits for the write in flight, if any, and counts it. */
    private void finishWrite() {
        if (pendingWrite == null) {
            return;
        }
        BatchTransfer.Outcome outcome;
        try {
            outcome = pendingWrite.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while writing a batch", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new ArborException.Internal("writing a batch failed", e.getCause());
        } finally {
            pendingWrite = null;
        }
        missingChecked += outcome.missingChecked();
        missingFound += outcome.missingFound();
        docsRead += outcome.docsRead();
        docsWritten += outcome.docsWritten();
        docWriteFailures += outcome.docWriteFailures();
        for (DocWriteError refused : outcome.refused()) {
            if (docWriteErrors.size() < MAX_ERRORS_KEPT) {
                docWriteErrors.add(refused);
                errors.add(refused.toString());
            }
        }
        processedSeq = later(processedSeq, pendingSeq);
        emit(new ReplicationEvent.Change(stats(), pendingSize));
        outcome.refused().forEach(refused -> emit(new ReplicationEvent.Denied(refused)));
    }

    /**
     * The sequence to go on from: the newer one, as the source gave it. Sequences of one source are compared by
     * {@link Seq#number()}, which grows with each change also for CouchDB's tokens; a feed that answers an empty
     * read with {@code last_seq} 0 (some servers do) must not send the replication back to the start.
     */
    private static Seq later(Seq current, Seq candidate) {
        return candidate.number() < current.number() ? current : candidate;
    }

    /** After a failure or on cancel: let the write in flight end, and count it if it succeeded. */
    private void finishWriteQuietly() {
        try {
            finishWrite();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the batch being written when replication " + id + " stopped failed", e);
        }
    }

    private void checkpoint(Checkpointer checkpointer) {
        if (options.useCheckpoints()) {
            Seq before = checkpointer.recordedSeq();
            checkpointer.record(processedSeq, stats());
            if (!checkpointer.recordedSeq().equals(before)) {
                emit(new ReplicationEvent.Checkpointed(checkpointer.recordedSeq()));
            }
        }
        lastCheckpointTime = Instant.now();
    }

    private void checkpointQuietly(Checkpointer checkpointer) {
        try {
            checkpoint(checkpointer);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "replication " + id + " could not write its last checkpoint", e);
        }
    }

    /** Parks until the source commits past {@code seq}; false when cancelled. Emits paused/active around the wait. */
    private boolean waitForSourceBeyond(long seq) {
        if (knownSourceSeq.get() > seq) {
            return !cancelled;
        }
        emit(new ReplicationEvent.Paused(stats()));
        synchronized (wakeUp) {
            while (!cancelled && knownSourceSeq.get() <= seq) {
                try {
                    wakeUp.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelled = true;
                }
            }
        }
        if (cancelled) {
            return false;
        }
        emit(new ReplicationEvent.Active(stats()));
        return true;
    }

    private interface Step<T> {
        T run();
    }

    /** Runs a step, retrying transient failures with exponential backoff; progress made meanwhile resets the count. */
    private <T> T withRetries(Step<T> step) {
        int attempt = 0;
        Seq progressMark = processedSeq;
        while (true) {
            try {
                return step.run();
            } catch (Cancelled e) {
                throw e;
            } catch (RuntimeException e) {
                finishWriteQuietly();
                if (!Retry.isTransient(e)) {
                    throw e;
                }
                attempt = processedSeq.equals(progressMark) ? attempt + 1 : 1;
                progressMark = processedSeq;
                if (attempt > options.maxRetries()) {
                    throw e;
                }
                Duration delay = Retry.delay(attempt, options.initialRetryDelay(), options.maxRetryDelay());
                emit(new ReplicationEvent.Error(e, delay));
                sleep(delay);
                if (cancelled) {
                    throw new Cancelled();
                }
                emit(new ReplicationEvent.Active(stats()));
            }
        }
    }

    private void sleep(Duration delay) {
        long until = System.nanoTime() + delay.toNanos();
        synchronized (wakeUp) {
            long left;
            while (!cancelled && (left = until - System.nanoTime()) > 0) {
                try {
                    wakeUp.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelled = true;
                }
            }
        }
    }

    private ReplicationStats stats() {
        return new ReplicationStats(changesRead, missingChecked, missingFound, docsRead, docsWritten, docWriteFailures, processedSeq);
    }

    private void emit(ReplicationEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "replication listener failed on " + event.getClass().getSimpleName(), e);
        }
    }
}
