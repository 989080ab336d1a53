package dev.arbor.engine.kv;

import dev.arbor.core.error.ArborException;

import dev.arbor.engine.storage.EngineSpaces;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store in memory whose commits fail, as a full disk makes RocksDB's fail, from a chosen point until healed: for
 * tests of what a failed commit leaves behind. Commits are counted on every thread (an index's commit thread too).
 */
public final class FailingCommitsStore implements KvStore {
    private final MemoryKvStore store;
    private final AtomicInteger commitsLeft = new AtomicInteger(Integer.MAX_VALUE);

    public FailingCommitsStore() {
        this(EngineSpaces.ALL);
    }

    /** A store of {@code spaces}: the engine's and those a test's own feature registered. */
    public FailingCommitsStore(java.util.List<Space> spaces) {
        this.store = new MemoryKvStore(spaces);
    }

    /** Lets {@code okCommits} more commits through, then fails every one. */
    public void failAfter(int okCommits) {
        commitsLeft.set(okCommits);
    }

    public void heal() {
        commitsLeft.set(Integer.MAX_VALUE);
    }

    @Override
    public void commit(KvBatch batch, boolean sync) {
        if (commitsLeft.getAndDecrement() <= 0) {
            throw new ArborException.Internal("disk full (injected)", null);
        }
        store.commit(batch, sync);
    }

    @Override public KvSnapshot snapshot() { return store.snapshot(); }
    @Override public KvBatch newBatch() { return store.newBatch(); }
    @Override public byte[] get(Space space, byte[] key) { return store.get(space, key); }
    @Override public KvCursor scan(Space space, byte[] from, byte[] to, boolean descending) {
        return store.scan(space, from, to, descending);
    }
    @Override public long sizeOnDisk() { return store.sizeOnDisk(); }
    @Override public long liveDataSize() { return store.liveDataSize(); }
    @Override public void compactStorage() { store.compactStorage(); }
    @Override public void close() { store.close(); }
}
