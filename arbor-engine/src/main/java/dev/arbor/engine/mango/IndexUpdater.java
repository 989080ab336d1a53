package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.mango.Selector;
import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.kv.BatchCommits;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Brings Mango indexes up to date from the by-sequence log, lazily: a query calls {@link #update} before it
 * reads an index. One updater runs per index at a time; a query arriving meanwhile waits for it, then finds
 * little or nothing left to do.
 *
 * <p>Crash safety: each batch of rows commits together with the index's checkpoint (the last seq it covers),
 * so after a crash the rows are exactly those of the checkpoint and the update resumes from there. Index
 * batches go straight to the store, not through the database's writer: they touch only the index's own keys,
 * which nothing else writes, and need no sync (a lost batch is redone from the log). A first build commits each batch
 * on a commit thread while it stages the next ({@link BatchCommits}), still one batch at a time, in order.
 *
 * <p>A purge removes documents from the log without a new entry, so rows of purged documents cannot be
 * found incrementally: when the database's purge seq moved past the checkpoint's, the index is rebuilt.
 */
final class IndexUpdater {
    /**
     * Documents per committed batch: bounds the memory of a first build and the work a crash can lose. Large,
     * because a commit (with its checkpoint) has a fixed cost and a first build makes many.
     */
    static final int BATCH_DOCS = 10_000;

    /** Documents whose stored states (and old back-references) are fetched in one batched read. */
    private static final int READ_BATCH = 500;

    private final KvStore store;
    private final ConcurrentHashMap<String, IndexState> states = new ConcurrentHashMap<>();

    IndexUpdater(KvStore store) {
        this.store = store;
    }

    /**
     * One index's lock, and the checkpoint of the last update finished (or read from the store) under it. Only the
     * lock holder writes either the stored checkpoint or {@link #known}, so {@code known} is the stored one whenever
     * no update runs; a query reads it without the lock to see that the index needs no work, which is every query
     * between two writes.
     */
    private static final class IndexState {
        final ReentrantLock lock = new ReentrantLock();
        volatile IndexRows.Checkpoint known;
    }

    private IndexState state(MangoIndex index) {
        return state(index.signatureHex());
    }

    private IndexState state(String signatureHex) {
        return states.computeIfAbsent(signatureHex, k -> new IndexState());
    }

    /**
     * Indexes every change committed before this call: those of {@code committed}, the database's counters as
     * its writer last published them (a write is acknowledged only after they are). Returns the seq the index
     * now reflects.
     *
     * <p>The seq this caller needs is taken before it waits for the lock: a caller that queued behind a running
     * update is then answered by it when that update covered its changes, instead of indexing the writes that
     * arrived while it waited. Under constant writes that is what keeps queries from forming a convoy, each
     * waiting for the one before and then indexing a little more.
     */
    long update(MangoIndex index, DbState committed) {
        long requested = committed.updateSeq();
        IndexState state = state(index);
        IndexRows.Checkpoint known = state.known;
        if (known != null && known.covers(requested, committed.purgeSeq())) {
            return known.seq();
        }
        state.lock.lock();
        try (KvSnapshot snapshot = store.snapshot()) {
            DbState snapshotState = StoredDocs.state(snapshot);
            long target = snapshotState.updateSeq();
            long purgeSeq = snapshotState.purgeSeq();
            IndexRows.Checkpoint checkpoint = IndexRows.checkpoint(store, index.signature());
            state.known = checkpoint;
            boolean current = checkpoint != null && checkpoint.covers(0, purgeSeq);
            if (current && checkpoint.seq() >= requested) {
                return checkpoint.seq();
            }
            if (!current) {
                // No checkpoint means no rows were ever committed for it, except those of a clear or rebuild a
                // crash interrupted; clearing first makes both cases a clean first build. Rows of an older
                // layout are rebuilt the same way.
                clear(index.signature(), state);
                checkpoint = new IndexRows.Checkpoint(0, purgeSeq);
            }
            apply(index, state, snapshot, checkpoint.seq(), target, purgeSeq);
            return target;
        } finally {
            state.lock.unlock();
        }
    }

    private void apply(MangoIndex index, IndexState state, KvSnapshot snapshot, long since, long target, long purgeSeq) {
        TopLevelFields readFields = readFields(index);
        List<StoredDocs.Change> pending = new ArrayList<>(READ_BATCH);
        // A first build's store writes run on another core while the next batch is staged: staging reads only the
        // back-references of documents no earlier batch of the pass touched (the log names a document once).
        BatchCommits commits = new BatchCommits(store, since == 0 && BatchCommits.PARALLEL);
        KvBatch[] batch = {store.newBatch()};
        int[] staged = {0};
        try {
            StoredDocs.changesSince(snapshot, since, change -> {
                pending.add(change);
                if (pending.size() == READ_BATCH) {
                    staged[0] += stage(index, readFields, snapshot, pending, batch[0]);
                    pending.clear();
                    if (staged[0] >= BATCH_DOCS) {
                        commits.awaitPrevious();
                        KvBatch full = withCheckpoint(batch[0], index.signature(),
                                new IndexRows.Checkpoint(change.seq(), purgeSeq));
                        batch[0] = null;
                        commits.commit(full);
                        batch[0] = store.newBatch();
                        staged[0] = 0;
                    }
                }
                return true;
            });
            stage(index, readFields, snapshot, pending, batch[0]);
            IndexRows.Checkpoint done = new IndexRows.Checkpoint(target, purgeSeq);
            commits.awaitPrevious();
            KvBatch last = withCheckpoint(batch[0], index.signature(), done);
            batch[0] = null;
            commits.commit(last);
            commits.awaitPrevious();
            // Only a finished update is published to queries that skip the lock: mid-way through a rebuild, the
            // documents after the last committed batch have no rows at all (not even their old ones).
            state.known = done;
        } finally {
            commits.abandon();
            if (batch[0] != null) {
                batch[0].close();
            }
        }
    }

    /** The members of a document the index's keys depend on; null when they need the whole document. */
    private static TopLevelFields readFields(MangoIndex index) {
        List<Selector> selectors = index.partialFilter() == null ? List.of() : List.of(index.partialFilter());
        return TopLevelFields.of(selectors, index.paths());
    }

    /**
     * Stages the row changes of {@code changes} (consecutive entries of the by-sequence log) into {@code batch},
     * reading their documents and old back-references in two batched reads. Returns how many documents it staged.
     */
    private int stage(MangoIndex index, TopLevelFields readFields, KvSnapshot snapshot, List<StoredDocs.Change> changes,
                      KvBatch batch) {
        if (changes.isEmpty()) {
            return 0;
        }
        byte[] signature = index.signature();
        List<String> ids = new ArrayList<>(changes.size());
        List<byte[]> docKeys = new ArrayList<>(changes.size());
        for (StoredDocs.Change change : changes) {
            ids.add(change.id());
            docKeys.add(IndexRows.docKey(signature, change.id()));
        }
        List<StoredDocs.StoredWinner> docs = StoredDocs.winners(snapshot, ids);
        // Back-references are the index's own state, which only this updater (under the index's lock) writes.
        List<byte[]> oldReferences = store.getAll(MangoSpaces.DOCS, docKeys);
        for (int i = 0; i < changes.size(); i++) {
            StoredDocs.Change change = changes.get(i);
            List<ArrayNode> keys = change.deleted() || docs.get(i) == null ? List.of() : keys(index, readFields, docs.get(i));
            stageRows(index, change, docKeys.get(i), oldReferences.get(i), keys, batch);
        }
        return changes.size();
    }

    private static List<ArrayNode> keys(MangoIndex index, TopLevelFields readFields, StoredDocs.StoredWinner stored) {
        if (readFields == null) {
            ObjectNode doc = stored.document(false);
            return doc == null ? List.of() : index.keys(stored.id(), doc);
        }
        // The winning record's deleted flag is the tree's winner's: a deleted document has no rows.
        byte[] body = stored.liveBody();
        return body == null ? List.of() : index.keys(stored.id(), readFields.read(stored.id(), body));
    }

    /**
     * Stages the puts and deletes that turn a document's rows from {@code oldReference}'s into {@code keys}' rows.
     * A row whose key did not change is written again all the same: its value names the document's new version.
     */
    private static void stageRows(MangoIndex index, StoredDocs.Change change, byte[] docKey, byte[] oldReference,
                                  List<ArrayNode> keys, KvBatch batch) {
        byte[] signature = index.signature();
        String docId = change.id();
        Set<ByteBuffer> oldRows = new HashSet<>();
        if (oldReference != null) {
            IndexRows.rowKeys(index, oldReference).forEach(row -> oldRows.add(ByteBuffer.wrap(row)));
        }
        List<byte[]> newRows = new ArrayList<>(keys.size());
        byte[] value = keys.isEmpty() ? null : IndexRows.RowValue.encode(change.seq(), docId.getBytes(StandardCharsets.UTF_8));
        for (ArrayNode key : keys) {
            byte[] row = IndexRows.rowKey(signature, key, docId);
            newRows.add(row);
            if (!oldRows.isEmpty()) {
                oldRows.remove(ByteBuffer.wrap(row));
            }
            batch.put(MangoSpaces.ROWS, row, value);
        }
        for (ByteBuffer stale : oldRows) {
            batch.delete(MangoSpaces.ROWS, stale.array());
        }
        if (!newRows.isEmpty()) {
            byte[] reference = IndexRows.backReference(index, newRows);
            if (oldReference == null || !Arrays.equals(oldReference, reference)) {
                batch.put(MangoSpaces.DOCS, docKey, reference);
            }
        } else if (oldReference != null) {
            batch.delete(MangoSpaces.DOCS, docKey);
        }
    }

    private static KvBatch withCheckpoint(KvBatch batch, byte[] signature, IndexRows.Checkpoint checkpoint) {
        batch.put(DocSpaces.META, IndexRows.checkpointKey(signature), checkpoint.encode());
        return batch;
    }

    /** Drops every row and the checkpoint of {@code index}, in bounded batches. */
    void drop(MangoIndex index) {
        drop(index.signature());
    }

    /** Drops every row and the checkpoint of the index with {@code signature}, which may no longer be defined. */
    void drop(byte[] signature) {
        IndexState state = state(HexFormat.of().formatHex(signature));
        state.lock.lock();
        try {
            clear(signature, state);
        } finally {
            state.lock.unlock();
        }
    }

    /** Forgets the state of an index no design document defines any more (after its rows were dropped). */
    void forget(byte[] signature) {
        states.remove(HexFormat.of().formatHex(signature));
    }

    private void clear(byte[] signature, IndexState state) {
        state.known = null;
        try (KvBatch first = store.newBatch()) {
            // The checkpoint goes first: rows without a checkpoint are always cleared before use.
            first.delete(DocSpaces.META, IndexRows.checkpointKey(signature));
            store.commit(first, false);
        }
        int staged;
        do {
            try (KvBatch batch = store.newBatch()) {
                staged = IndexRows.stageClear(store, batch, signature, BATCH_DOCS);
                if (staged > 0) {
                    store.commit(batch, false);
                }
            }
        } while (staged >= BATCH_DOCS);
    }
}
