package dev.arbor.engine.write;

import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.store.CommitIndexer;
import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.DocJson;
import dev.arbor.engine.store.DocRecord;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.store.LiveCounts;
import dev.arbor.engine.store.StagedWrites;

import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one group commit, as the writer (the thread holding the commit lock) builds them. Reads through the context see
 * the committed store plus everything staged earlier in the same group, so two edits of one document
 * in one group behave as if committed one after the other.
 *
 * <p>Each task runs between {@link #mark()} and either {@link #keep()} or {@link #rollback()}: a task
 * that fails half-way leaves nothing behind in the group. Undo entries are kept only while a mark is
 * open. Owned by the writer alone.
 */
public final class WriteContext implements StagedWrites {
    private record Key(Space space, ByteBuffer key) {}

    private record Staged(Space space, byte[] key, byte[] value) {}

    private record Undo(Key key, byte[] previous, boolean present) {}

    private static final byte[] DELETED = new byte[0];

    private final KvStore store;
    private final Map<Key, byte[]> overlay = new HashMap<>();
    /**
     * Committed values read ahead in one batch ({@link #prefetch}); {@link #DELETED} marks a key known to be absent.
     * They stay true for the whole group: only the writer commits the spaces prefetched here.
     */
    private final Map<Key, byte[]> prefetched = new HashMap<>();
    private final List<Staged> staged = new ArrayList<>();
    private final List<Undo> undo = new ArrayList<>();
    private DbState state;
    private record Mark(int staged, int undo, DbState state) {}

    private final java.util.ArrayDeque<Mark> marks = new java.util.ArrayDeque<>();

    /** Indexes updated with each document change (eager views); null when there are none. */
    private final CommitIndexer indexer;

    /** The per-range live counts this unit of work keeps up to date; null in tests that write no documents. */
    private final LiveCounts liveCounts;

    WriteContext(KvStore store, DbState state) {
        this(store, state, null, null);
    }

    WriteContext(KvStore store, DbState state, CommitIndexer indexer, LiveCounts liveCounts) {
        this.store = store;
        this.state = state;
        this.indexer = indexer;
        this.liveCounts = liveCounts;
    }

    /** A document (DOCS key bytes) became live ({@code +1}) or stopped being live ({@code -1}) in this unit of work. */
    public void liveCountChanged(byte[] id, int delta) {
        if (liveCounts != null) {
            liveCounts.changed(this, id, delta);
        }
    }

    /**
     * Hands a document change to the eager indexes, inside the change's unit of work: their rows stage (and roll
     * back) with it, and a refusal (a unique view's conflict) fails this document's write.
     *
     * @param winner the document's new record, or null when it was purged away
     */
    public void documentChanged(String id, DocRecord winner) {
        if (indexer == null || !indexer.active()) {
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode json = winner == null || winner.deleted() ? null
                : DocJson.document(id, winner.winner().rev(), winner.winnerRecord(), winner.tree(), winner.seq(),
                dev.arbor.api.GetOptions.DEFAULT, store);
        indexer.documentChanged(this, id, json, state.updateSeq(), state.purgeSeq());
    }

    /** Committed entries overlaid with the staged ones; walks every staged key, so meant for small ranges. */
    @Override
    public java.util.NavigableMap<byte[], byte[]> scan(Space space, byte[] from, byte[] to) {
        java.util.NavigableMap<byte[], byte[]> out = new java.util.TreeMap<>(java.util.Arrays::compareUnsigned);
        try (dev.arbor.engine.kv.KvCursor cursor = store.scan(space, from, to, false)) {
            while (cursor.next()) {
                out.put(cursor.key(), cursor.value());
            }
        }
        overlay.forEach((k, value) -> {
            if (k.space() != space) {
                return;
            }
            byte[] key = k.key().array();
            if (java.util.Arrays.compareUnsigned(key, from) >= 0
                    && (to == null || java.util.Arrays.compareUnsigned(key, to) < 0)) {
                if (value == DELETED) {
                    out.remove(key);
                } else {
                    out.put(key, value);
                }
            }
        });
        return out;
    }

    public DbState state() {
        return state;
    }

    private boolean designDocumentsTouched;

    /** Marks that this group writes or removes a {@code _design/} document (a rolled-back unit may leave it set: harmless). */
    public void designDocumentTouched() {
        designDocumentsTouched = true;
    }

    boolean designDocumentsTouched() {
        return designDocumentsTouched;
    }

    public void state(DbState newState) {
        this.state = newState;
    }

    public long nextSeq() {
        state = state.withUpdateSeq(state.updateSeq() + 1);
        return state.updateSeq();
    }

    @Override
    public byte[] get(Space space, byte[] key) {
        Key k = new Key(space, ByteBuffer.wrap(key));
        byte[] value = overlay.get(k);
        if (value == null && !prefetched.isEmpty()) {
            value = prefetched.get(k);
        }
        if (value != null) {
            return value == DELETED ? null : value;
        }
        return store.get(space, key);
    }

    /**
     * Reads the committed values of {@code keys} in one store call (RocksDB MultiGet) so that later {@link #get}s of
     * them cost no store lookup each. Only for a space no one but the writer commits to (the documents), since
     * the values are kept for the rest of the group.
     */
    public void prefetch(Space space, List<byte[]> keys) {
        List<byte[]> values = store.getAll(space, keys);
        for (int i = 0; i < keys.size(); i++) {
            byte[] value = values.get(i);
            prefetched.put(new Key(space, ByteBuffer.wrap(keys.get(i))), value == null ? DELETED : value);
        }
    }

    @Override
    public void put(Space space, byte[] key, byte[] value) {
        stage(space, key, value);
    }

    @Override
    public void delete(Space space, byte[] key) {
        stage(space, key, null);
    }

    private void stage(Space space, byte[] key, byte[] value) {
        Key k = new Key(space, ByteBuffer.wrap(key));
        byte[] previous = overlay.put(k, value == null ? DELETED : value);
        undo.add(new Undo(k, previous, previous != null));
        staged.add(new Staged(space, key, value));
    }

    /** Starts a unit that {@link #keep()} or {@link #rollback()} ends. Units nest (a bulk request, then each doc in it). */
    public void mark() {
        marks.push(new Mark(staged.size(), undo.size(), state));
    }

    public void keep() {
        marks.pop();
        if (marks.isEmpty()) {
            undo.clear();
        }
    }

    /** Forgets everything staged since the matching {@link #mark()}. */
    public void rollback() {
        Mark mark = marks.pop();
        for (int i = undo.size() - 1; i >= mark.undo(); i--) {
            Undo u = undo.get(i);
            if (u.present()) {
                overlay.put(u.key(), u.previous());
            } else {
                overlay.remove(u.key());
            }
        }
        undo.subList(mark.undo(), undo.size()).clear();
        staged.subList(mark.staged(), staged.size()).clear();
        state = mark.state();
    }

    boolean isEmpty() {
        return staged.isEmpty();
    }

    /** Writes everything staged into a store batch, with the counters. */
    KvBatch toBatch() {
        KvBatch batch = store.newBatch();
        for (Staged s : staged) {
            byte[] last = overlay.get(new Key(s.space(), ByteBuffer.wrap(s.key())));
            if (s.value() == null ? last != DELETED : last != s.value()) {
                // A later write of the same key in this group supersedes it (a live-count bucket changes with every
                // document of a bulk write): only the last one goes to the store.
                continue;
            }
            if (s.value() == null) {
                batch.delete(s.space(), s.key());
            } else {
                batch.put(s.space(), s.key(), s.value());
            }
        }
        batch.put(DocSpaces.META, DatabaseKeys.META_STATE, state.encode());
        return batch;
    }
}
