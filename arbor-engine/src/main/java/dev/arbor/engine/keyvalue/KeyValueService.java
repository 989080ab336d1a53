package dev.arbor.engine.keyvalue;

import dev.arbor.options.KeyValueOptions;
import dev.arbor.api.keyvalue.KeyValuePersistence;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.engine.kv.KvReader;

import java.time.InstantSource;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The key-value store of one database: its write mode, the background reclaiming of expired keys,
 * and the one daemon thread both use for timed work. Created by the database on first use, closed
 * with it (which commits anything a lazy mode still buffers).
 */
public final class KeyValueService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KeyValueService.class.getName());

    private final String dbName;
    private final WriteMode mode;
    private final ExpirationReaper reaper;
    private final InstantSource clock;
    private final ScheduledThreadPoolExecutor background;

    /**
     * @param committed the database's store, for reads of committed entries
     * @param committer runs work in the database writer's group commits
     */
    public KeyValueService(String dbName, KvReader committed, KeyValueCommitter committer, KeyValueOptions options) {
        this.dbName = dbName;
        this.clock = options.clock();
        this.background = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "arbor-kv-" + dbName);
            thread.setDaemon(true);
            return thread;
        });
        background.setRemoveOnCancelPolicy(true);
        // A lazy mode's pending delayed commit must not keep a closing store waiting: close() commits instead.
        background.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.mode = switch (options.persistence()) {
            case KeyValuePersistence.Immediate i -> new ImmediateMode(committed, committer, clock);
            case KeyValuePersistence.Lazy lazy -> new LazyMode(committed, committer, clock, lazy, background);
        };
        this.reaper = new ExpirationReaper(committed, committer, clock);
        long interval = options.reclaimInterval().toNanos();
        background.scheduleWithFixedDelay(this::reclaimQuietly, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** The store seen through the default namespace. */
    public KeyValueStore store() {
        return new EngineKeyValueStore(this, "");
    }

    WriteMode mode() {
        return mode;
    }

    InstantSource clock() {
        return clock;
    }

    /** Deletes the entries expired by now (the background does this every reclaim interval); returns how many. */
    public long reclaimExpired() {
        return reaper.reclaim();
    }

    private void reclaimQuietly() {
        try {
            reaper.reclaim();
        } catch (RuntimeException e) {
            // Expired keys already read as absent; the next round tries again.
            LOG.log(System.Logger.Level.WARNING, "reclaiming expired keys of " + dbName + " failed", e);
        }
    }

    /** Stops the background work, then commits what a lazy mode buffers. The database writer must still be open. */
    @Override
    public void close() {
        background.shutdown();
        try {
            if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "key-value background work of " + dbName + " did not stop in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        mode.close();
    }
}
