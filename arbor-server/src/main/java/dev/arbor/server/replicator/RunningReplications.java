package dev.arbor.server.replicator;

import dev.arbor.api.Storage;
import dev.arbor.replication.ReplicationEvent;
import dev.arbor.replication.ReplicationId;
import dev.arbor.replication.ReplicationListener;
import dev.arbor.replication.Replicator;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The replications this server runs now, by replication id. Asking for a replication that already
 * runs joins it instead of starting a second one on the same checkpoints, as CouchDB's scheduler does.
 */
final class RunningReplications implements AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Storage storage;
    private final Map<String, ReplicationTask> tasks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    RunningReplications(Storage storage) {
        this.storage = storage;
    }

    /**
     * The replication the spec asks for: the one running under its id, else a new one. Peers that
     * cannot be opened fail here (404 {@code db_not_found}), before anything runs.
     *
     * @param docId  the {@code _replicator} document asking, null for {@code _replicate}
     * @param extra  told every event too (the {@code _replicator} database writes states back)
     */
    synchronized ReplicationTask startOrJoin(ReplicationSpec spec, String docId, ReplicationListener extra) {
        if (closed) {
            throw new IllegalStateException("the server is stopping");
        }
        // Opened first: the id needs the source (a design-doc filter counts by its code, read from there).
        OpenPeers peers = OpenPeers.open(storage, spec);
        ReplicationId id;
        try {
            id = ReplicationId.of(peers.source(), peers.target(), spec.options());
        } catch (RuntimeException e) {
            peers.close();
            throw e;
        }
        ReplicationTask running = tasks.get(id.toString());
        if (running != null && !running.ended().isDone()) {
            peers.close();
            return running;
        }
        ReplicationTask task = new ReplicationTask(id, spec, docId, peers);
        tasks.put(task.key(), task);
        ReplicationListener listener = event -> {
            task.onEvent(event);
            if (event instanceof ReplicationEvent.Complete) {
                tasks.remove(task.key(), task);
            }
            extra.onEvent(event);
        };
        task.started(Replicator.start(id, peers.source(), peers.target(), spec.options(), listener));
        return task;
    }

    /** The id the spec's replication has (or would have): its peers are opened for it, then closed. */
    ReplicationId idOf(ReplicationSpec spec) {
        try (OpenPeers peers = OpenPeers.open(storage, spec)) {
            return ReplicationId.of(peers.source(), peers.target(), spec.options());
        }
    }

    /** By its full id ({@code base+continuous}) or by its base alone. */
    ReplicationTask find(String replicationId) {
        ReplicationTask exact = tasks.get(replicationId);
        if (exact != null) {
            return exact;
        }
        return tasks.values().stream().filter(t -> t.id().base().equals(replicationId)).findFirst().orElse(null);
    }

    Collection<ReplicationTask> tasks() {
        return List.copyOf(tasks.values());
    }

    /** Cancels every replication (each checkpoints what it wrote) and waits a while for them to end. */
    @Override
    public void close() {
        List<ReplicationTask> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(tasks.values());
        }
        all.forEach(ReplicationTask::cancel);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (ReplicationTask task : all) {
            try {
                task.ended().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception stillRunning) {
                // Daemon threads: a replication stuck on a dead peer must not hold the shutdown.
            }
        }
    }
}
