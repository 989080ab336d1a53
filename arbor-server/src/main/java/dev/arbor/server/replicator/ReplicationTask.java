package dev.arbor.server.replicator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Seq;
import dev.arbor.replication.DocWriteError;
import dev.arbor.replication.Replication;
import dev.arbor.replication.ReplicationEvent;
import dev.arbor.replication.ReplicationId;
import dev.arbor.replication.ReplicationListener;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.replication.ReplicationStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One replication the server runs, from {@code _replicate} or a {@code _replicator} document: its
 * spec, its open peers, and what its events said so far, for {@code _active_tasks} and
 * {@code _scheduler}. The replication's thread writes the progress; request threads read it.
 */
final class ReplicationTask implements ReplicationListener {
    /** A moment in the job's life, as CouchDB's scheduler lists them in {@code history}. */
    record HistoryEntry(Instant timestamp, String type, String reason) {}

    static final int MAX_ERRORS_SHOWN = 100;

    private final ReplicationId id;
    private final ReplicationSpec spec;
    private final String docId;
    private final OpenPeers peers;
    private final Instant startTime = Instant.now();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final CompletableFuture<ReplicationResult> ended = new CompletableFuture<>();
    private volatile Replication replication;
    private volatile ReplicationStats stats = new ReplicationStats(0, 0, 0, 0, 0, 0, Seq.ZERO);
    private volatile Seq checkpointedSeq = Seq.ZERO;
    /** The first revisions the target refused, shown with the job's counters. */
    private final List<DocWriteError> docWriteErrors = new ArrayList<>();
    private volatile boolean waiting;
    private volatile Instant updatedOn = startTime;
    private volatile RuntimeException failure;
    private volatile ObjectNode checkpointLog;

    ReplicationTask(ReplicationId id, ReplicationSpec spec, String docId, OpenPeers peers) {
        this.id = id;
        this.spec = spec;
        this.docId = docId;
        this.peers = peers;
        addHistory("added", null);
        addHistory("started", null);
    }

    void started(Replication value) {
        this.replication = value;
    }

    @Override
    public void onEvent(ReplicationEvent event) {
        updatedOn = Instant.now();
        switch (event) {
            case ReplicationEvent.Active active -> {
                stats = active.stats();
                waiting = false;
            }
            case ReplicationEvent.Change change -> stats = change.stats();
            case ReplicationEvent.Paused paused -> {
                stats = paused.stats();
                waiting = true;
            }
            case ReplicationEvent.Checkpointed checkpointed -> checkpointedSeq = checkpointed.seq();
            case ReplicationEvent.Denied denied -> {
                synchronized (docWriteErrors) {
                    if (docWriteErrors.size() < MAX_ERRORS_SHOWN) {
                        docWriteErrors.add(denied.error());
                    }
                }
            }
            case ReplicationEvent.Error error -> {
                addHistory("crashed", error.error().getMessage());
                if (error.retryIn() == null) {
                    failure = error.error();
                }
            }
            case ReplicationEvent.Complete complete -> {
                addHistory("stopped", null);
                checkpointLog = readCheckpointLog();
                peers.close();
                ended.complete(complete.result());
            }
        }
    }

    /** The replication log on the source, read while the peers are still open: the {@code _replicate} answer shows its history. */
    private ObjectNode readCheckpointLog() {
        if (!spec.options().useCheckpoints()) {
            return null;
        }
        try {
            return peers.source().getLocal(id.checkpointDocId());
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The source's {@code _local/<id>} as the replication ended; null before, or when there is none. */
    ObjectNode checkpointLog() {
        return checkpointLog;
    }

    private void addHistory(String type, String reason) {
        synchronized (history) {
            history.add(new HistoryEntry(Instant.now(), type, reason));
        }
    }

    ReplicationId id() {
        return id;
    }

    /** The key CouchDB shows: the base id and its {@code +continuous}/{@code +create_target} extension. */
    String key() {
        return id.toString();
    }

    ReplicationSpec spec() {
        return spec;
    }

    /** The {@code _replicator} document that started it; null for {@code _replicate}. */
    String docId() {
        return docId;
    }

    OpenPeers peers() {
        return peers;
    }

    Instant startTime() {
        return startTime;
    }

    Instant updatedOn() {
        return updatedOn;
    }

    ReplicationStats stats() {
        return stats;
    }

    Seq checkpointedSeq() {
        return checkpointedSeq;
    }

    /** The revisions the target refused so far (the first {@value #MAX_ERRORS_SHOWN}). */
    List<DocWriteError> docWriteErrors() {
        synchronized (docWriteErrors) {
            return List.copyOf(docWriteErrors);
        }
    }

    /** A continuous replication that caught up and waits for the source. */
    boolean isWaiting() {
        return waiting;
    }

    /** Why it failed, once it ended failing; null otherwise. */
    RuntimeException failure() {
        return failure;
    }

    List<HistoryEntry> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    void cancel() {
        Replication running = replication;
        if (running != null) {
            running.cancel();
        }
    }

    /** Completes when the replication ended, however it ended (also when it was cancelled). */
    CompletableFuture<ReplicationResult> ended() {
        return ended;
    }
}
