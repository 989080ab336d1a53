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
        ReplicationId id = idOf(spec);
        ReplicationTask running = tasks.get(id.toString());
        if (running != null && !running.ended().isDone()) {
            return running;
        }
        OpenPeers peers = OpenPeers.open(storage, spec);
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

    static ReplicationId idOf(ReplicationSpec spec) {
        return spec.replicationId();
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
