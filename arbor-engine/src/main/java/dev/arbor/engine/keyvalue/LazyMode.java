package dev.arbor.engine.keyvalue;

import dev.arbor.api.keyvalue.KeyValuePersistence;
import dev.arbor.engine.kv.KvReader;

import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Operations apply to an in-memory buffer of changed keys over the committed store, under one lock
 * (which makes them atomic); the buffer is committed through the database writer as one task when it
 * holds {@code maxChanges} changes, when its oldest change is {@code maxDelay} old, and at close.
 *
 * <p>The commit runs while holding the lock, so no operation is acknowledged while a commit is in
 * flight: the changes a crash can lose are exactly those of the current buffer, fewer than
 * {@code maxChanges} and none older than {@code maxDelay} (plus one commit's time). Reads take no lock:
 * the buffer is a concurrent map, emptied only after its contents are committed, so a reader sees
 * either the buffered entry or the committed one it became.
 */
final class LazyMode implements WriteMode {
    private static final System.Logger LOG = System.getLogger(LazyMode.class.getName());

    /** A buffered change; {@code entry} null is a deletion. */
    private record Pending(byte[] key, StoredEntry entry) {}

    private final KvReader committed;
    private final KeyValueCommitter committer;
    private final InstantSource clock;
    private final KeyValuePersistence.Lazy policy;
    private final ScheduledExecutorService timer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<ByteBuffer, Pending> buffer = new ConcurrentHashMap<>();
    /** Guarded by {@link #lock}: changes buffered since the last commit (several may touch one key). */
    private int changes;
    /** Guarded by {@link #lock}: bumped by every commit, so a stale delayed commit knows it is stale. */
    private long generation;

    LazyMode(KvReader committed, KeyValueCommitter committer, InstantSource clock, KeyValuePersistence.Lazy policy,
             ScheduledExecutorService timer) {
        this.committed = committed;
        this.committer = committer;
        this.clock = clock;
        this.policy = policy;
        this.timer = timer;
    }

    @Override
    public <R> R apply(byte[] key, KeyOperation<R> operation) {
        lock.lock();
        try {
            StoredEntry stored = read(key);
            long now = clock.millis();
            KeyOperation.Outcome<R> outcome = operation.apply(stored != null && stored.aliveAt(now) ? stored : null, now);
            if (outcome.write()) {
                buffer.put(ByteBuffer.wrap(key), new Pending(key, outcome.next()));
                if (++changes == 1) {
                    scheduleCommit();
                }
                if (changes >= policy.maxChanges()) {
                    commitBuffer();
                }
            }
            return outcome.result();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StoredEntry read(byte[] key) {
        Pending pending = buffer.get(ByteBuffer.wrap(key));
        if (pending != null) {
            return pending.entry();
        }
        return StoredEntry.decode(committed.get(KeyValueSpaces.KV, key));
    }

    /** Holding the lock: commits the current generation after {@code maxDelay}, unless it was committed sooner. */
    private void scheduleCommit() {
        long due = generation;
        try {
            timer.schedule(() -> commitIfStill(due), policy.maxDelay().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // The store is closing; close() commits the buffer.
        }
    }

    private void commitIfStill(long due) {
        lock.lock();
        try {
            if (generation == due) {
                commitBuffer();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Holding the lock. A failed commit keeps the buffer, to be retried by the next change or at close. */
    private void commitBuffer() {
        if (buffer.isEmpty()) {
            return;
        }
        Map<ByteBuffer, Pending> batch = new HashMap<>(buffer);
        try {
            committer.commit(writes -> {
                for (Pending p : batch.values()) {
                    EntryTable.write(writes, p.key(), EntryTable.read(writes, p.key()), p.entry());
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "lazy key-value commit of " + batch.size() + " keys failed; kept for a retry", e);
            scheduleCommit();
            return;
        }
        // Nothing else changes the buffer while we hold the lock, so it is exactly the batch committed.
        buffer.clear();
        changes = 0;
        generation++;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            commitBuffer();
        } finally {
            lock.unlock();
        }
    }
}
