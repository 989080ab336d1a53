package dev.arbor.engine.index;

import dev.arbor.engine.kv.BatchCommits;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.store.StagedWrites;
import dev.arbor.engine.store.StoredDocs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the indexes of one database, whatever their kind: brings them up to date from the by-sequence log, checks
 * them, drops them, and stages an eagerly kept index's rows into the writer's commit.
 *
 * <p>One update runs per index at a time: a reader arriving meanwhile waits on the index's lock, then finds little or
 * nothing left to do. The sequence a reader needs is taken before it waits: a reader that queued behind a running
 * update is answered by it when that update covered its changes, instead of indexing the writes that arrived while
 * it waited (under constant writes, queries would otherwise form a convoy, each waiting for the one before and then
 * indexing a little more).
 *
 * <p>Crash safety: each batch of rows commits together with the index's checkpoint, so after a crash the rows are
 * exactly those of the checkpoint and the next update resumes from there. Batches go straight to the store, not
 * through the database's writer: they touch only the index's own keys, which nothing else writes, and need no sync
 * (a lost batch is redone from the log). A first build commits each batch on a commit thread while it maps the next
 * ({@link BatchCommits}), still one batch at a time, in order.
 *
 * <p>Rows are unusable, and rebuilt from the first change, when there is no checkpoint (nothing committed, or a
 * clear a crash interrupted), when the database's purge sequence moved past the checkpoint's (a purge removes
 * documents from the log without a new entry, so their rows cannot be found incrementally), or when the
 * checkpoint does not {@link Index#fits fit} the definition.
 *
 * <p>Threads: any thread may call any method. Each index's lock orders its updates, checks and drops; a pass over
 * several indexes takes their locks in one global order. {@link IndexState#known} is written only under the lock.
 */
public final class IndexUpdater {
    /** Changes whose documents are read in one batched read (a RocksDB MultiGet) and staged together. */
    static final int READ_BATCH = 500;
    /** Staged writes that end a batch early, for indexes that write many rows per document. */
    static final int BATCH_WRITES = 250_000;
    /** Staged bytes that end a batch early, for indexes that store large values (whole documents, say). */
    static final long BATCH_BYTES = 64L << 20;
    /** Keys deleted per batch when an index is cleared. */
    private static final int CLEAR_BATCH = 10_000;
    private static final System.Logger LOG = System.getLogger(IndexUpdater.class.getName());

    private final KvStore store;
    private final ConcurrentHashMap<String, IndexState> states = new ConcurrentHashMap<>();

    public IndexUpdater(KvStore store) {
        this.store = store;
    }

    /**
     * One index's lock, and the checkpoint of the last update finished under it (or read from the store). Only the
     * lock holder writes either, so {@code known} is never ahead of the stored checkpoint; a reader checks it
     * without the lock to see that the index needs no work, which is every query between two writes. The writer's
     * eager updates move the stored checkpoint past it, which only sends a reader to the lock.
     */
    private static final class IndexState {
        final ReentrantLock lock = new ReentrantLock(true);
        volatile IndexCheckpoint known;
    }

    private IndexState state(IndexKind kind, byte[] signature) {
        return states.computeIfAbsent(key(kind, signature), k -> new IndexState());
    }

    private static String key(IndexKind kind, byte[] signature) {
        return kind.name() + "/" + java.util.HexFormat.of().formatHex(signature);
    }

    /** Whether an update of the index runs, and how many callers wait for it. */
    public record Activity(boolean running, int waiting) {}

    public Activity activity(Index index) {
        ReentrantLock lock = state(index.kind(), index.signature()).lock;
        return new Activity(lock.isLocked(), lock.getQueueLength());
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /** How a reader wants the indexes it reads brought up to date: CouchDB's {@code update=true|false|lazy}. */
    public enum Freshness {
        /** Index every change committed before the read, then read. */
        UPDATE_BEFORE,
        /** Read the index as it stands. */
        AS_IS,
        /** Read the index as it stands, then bring it up to date in the background. */
        UPDATE_AFTER
    }

    /**
     * Runs {@code read} with the indexes of {@code pass} as fresh as {@code freshness} asks: brought up to date
     * first, afterwards in the background, or not at all. Returns what {@code read} returned.
     */
    public <T> T read(List<? extends Index> pass, Freshness freshness, java.util.function.Supplier<T> read) {
        if (freshness == Freshness.UPDATE_BEFORE) {
            update(pass, committed());
        }
        T result = read.get();
        if (freshness == Freshness.UPDATE_AFTER) {
            updateInBackground(pass);
        }
        return result;
    }

    /** Starts an update of {@code pass} on a thread of its own; a failure is logged (the next reader retries it). */
    public void updateInBackground(List<? extends Index> pass) {
        List<Index> indexes = List.copyOf(pass);
        Thread.ofVirtual().name("index-update " + indexes.get(0).displayName()).start(() -> {
            try {
                update(indexes, committed());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "background update of " + indexes.get(0).displayName() + " failed", e);
            }
        });
    }

    /** The database's counters as last committed: what a reader asking now must see. */
    private DbState committed() {
        return StoredDocs.state(store);
    }

    // ---- updating ------------------------------------------------------------------------------------------------

    /** Indexes every change of {@code committed} (the counters a write was acknowledged with). Returns the seq it now reflects. */
    public long update(Index index, DbState committed) {
        IndexState state = state(index.kind(), index.signature());
        IndexCheckpoint known = state.known;
        if (known == null || !known.covers(committed.updateSeq(), committed.purgeSeq())) {
            update(List.of(index), committed);
            known = state.known;
        }
        return known != null ? known.seq() : 0;
    }

    /**
     * Brings several indexes up to date in one pass over the by-sequence log: each changed document is read once and
     * handed to every index whose checkpoint is before the change ({@link ChangedDocument#decoded} lets a kind decode
     * it once for all of its indexes). Each index keeps its own checkpoint, so one that must be rebuilt starts from
     * the first change while the others only catch up, in the same pass.
     *
     * @param committed the database's counters as the caller must see them (a write is acknowledged only after they
     *                  are published)
     */
    public void update(List<? extends Index> indexes, DbState committed) {
        TreeMap<String, Index> byKey = new TreeMap<>();
        for (Index index : indexes) {
            IndexCheckpoint known = state(index.kind(), index.signature()).known;
            if (known == null || !known.covers(committed.updateSeq(), committed.purgeSeq())) {
                byKey.putIfAbsent(key(index.kind(), index.signature()), index);
            }
        }
        if (byKey.isEmpty()) {
            return;
        }
        List<ReentrantLock> held = new ArrayList<>(byKey.size());
        try {
            for (Index index : byKey.values()) { // in key order: two passes never wait on each other's locks
                ReentrantLock lock = state(index.kind(), index.signature()).lock;
                lock.lock();
                held.add(lock);
            }
            try (KvSnapshot snapshot = store.snapshot()) {
                DbState target = StoredDocs.state(snapshot);
                List<Member> members = new ArrayList<>(byKey.size());
                for (Index index : byKey.values()) {
                    Member member = member(index, committed.updateSeq(), target.purgeSeq());
                    if (member != null) {
                        members.add(member);
                    }
                }
                if (!members.isEmpty()) {
                    new Pass(members, snapshot, target).run();
                }
            }
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
    }

    /** The index's part of a pass, or null when its stored checkpoint already covers {@code requested}. */
    private Member member(Index index, long requested, long purgeSeq) {
        IndexState state = state(index.kind(), index.signature());
        IndexCheckpoint checkpoint = IndexCheckpoint.read(store, index);
        boolean usable = checkpoint != null && checkpoint.purgeSeq() == purgeSeq && index.fits(checkpoint.state());
        if (usable) {
            state.known = checkpoint;
            if (checkpoint.seq() >= requested) {
                return null;
            }
        } else {
            // Clearing first makes every unusable case a clean first build, rows of a clear a crash interrupted too.
            clear(index.kind(), index.signature(), state);
            checkpoint = new IndexCheckpoint(0, purgeSeq, index.emptyState());
        }
        return new Member(index, state, checkpoint.seq(), index.pass(checkpoint, Index.Staging.OWN_BATCHES));
    }

    /** One index of a pass: its state, where its checkpoint stood, and the kind's work. */
    private record Member(Index index, IndexState state, long from, IndexPass work) {}

    /** One pass over the log for a set of indexes; owned by the thread holding their locks. */
    private final class Pass {
        private final List<Member> members;
        private final KvSnapshot snapshot;
        private final DbState target;
        private final int batchDocuments;
        private final BatchCommits commits;
        private KvBatch batch;
        private IndexTarget staging;
        private int documentsInBatch;

        Pass(List<Member> members, KvSnapshot snapshot, DbState target) {
            this.members = members;
            this.snapshot = snapshot;
            this.target = target;
            this.batchDocuments = members.stream().mapToInt(member -> member.index().batchDocuments()).min().orElseThrow();
            this.commits = new BatchCommits(store, BatchCommits.PARALLEL
                    && members.stream().allMatch(member -> member.from() == 0));
        }

        void run() {
            long from = members.stream().mapToLong(Member::from).min().orElseThrow();
            List<StoredDocs.Change> pending = new ArrayList<>(READ_BATCH);
            openBatch();
            try {
                StoredDocs.changesSince(snapshot, from, change -> {
                    pending.add(change);
                    if (pending.size() == READ_BATCH) {
                        stage(pending);
                        pending.clear();
                    }
                    return true;
                });
                stage(pending);
                commitBatch(target.updateSeq());
                commits.awaitPrevious();
                // Only a finished update is published to readers that skip the lock: mid-way through a rebuild, the
                // documents after the last committed batch have no rows at all (not even their old ones).
                for (Member member : members) {
                    member.state().known = IndexCheckpoint.read(store, member.index());
                }
            } finally {
                commits.abandon();
                if (batch != null) {
                    batch.close();
                }
            }
        }

        private void openBatch() {
            batch = store.newBatch();
            staging = IndexTarget.separate(store, batch);
            documentsInBatch = 0;
        }

        /** Reads the documents of consecutive changes in one batched read and hands each index the ones it lacks. */
        private void stage(List<StoredDocs.Change> changes) {
            if (changes.isEmpty()) {
                return;
            }
            List<String> liveIds = new ArrayList<>(changes.size());
            for (StoredDocs.Change change : changes) {
                if (!change.deleted()) {
                    liveIds.add(change.id());
                }
            }
            List<StoredDocs.StoredWinner> stored = StoredDocs.winners(snapshot, liveIds);
            List<ChangedDocument> documents = new ArrayList<>(changes.size());
            int live = 0;
            for (StoredDocs.Change change : changes) {
                documents.add(ChangedDocument.fromLog(change, change.deleted() ? null : stored.get(live++)));
            }
            for (Member member : members) {
                List<ChangedDocument> unseen = documents;
                if (documents.get(0).seq() <= member.from()) {
                    unseen = documents.stream().filter(doc -> doc.seq() > member.from()).toList();
                }
                if (!unseen.isEmpty()) {
                    member.work().stage(unseen, staging);
                }
            }
            documentsInBatch += changes.size();
            if (documentsInBatch >= batchDocuments || batch.size() >= BATCH_WRITES
                    || batch.byteSize() >= BATCH_BYTES) {
                commitBatch(changes.get(changes.size() - 1).seq());
                openBatch();
            }
        }

        /** Finishes the open batch with every index's checkpoint at {@code seq} (never behind its own) and commits it. */
        private void commitBatch(long seq) {
            // Finishing may read what the previous batch wrote (a view's reductions): it must be committed first.
            commits.awaitPrevious();
            for (Member member : members) {
                byte[] state = member.work().finish(staging);
                IndexCheckpoint checkpoint = new IndexCheckpoint(Math.max(seq, member.from()), target.purgeSeq(), state);
                batch.put(DocSpaces.META, member.index().kind().checkpointKey(member.index().signature()),
                        checkpoint.encode());
            }
            KvBatch full = batch;
            batch = null;
            commits.commit(full);
        }
    }

    // ---- in the writer's commit ----------------------------------------------------------------------------------

    /**
     * Stages the rows of one document change, and the index's checkpoint at its sequence, into the writer's group
     * commit, for an index kept eagerly. Runs on the writer's thread; the index must have been caught up to the
     * commit before (its checkpoint then follows the writer change by change).
     */
    public void stageInCommit(Index index, StagedWrites writes, ChangedDocument document, long purgeSeq) {
        byte[] checkpointKey = index.kind().checkpointKey(index.signature());
        byte[] stored = writes.get(DocSpaces.META, checkpointKey);
        IndexCheckpoint from = stored == null ? new IndexCheckpoint(0, purgeSeq, index.emptyState())
                : IndexCheckpoint.decode(stored);
        IndexTarget target = IndexTarget.staged(writes);
        IndexPass pass = index.pass(from, Index.Staging.WRITERS_COMMIT);
        pass.stage(List.of(document), target);
        byte[] state = pass.finish(target);
        writes.put(DocSpaces.META, checkpointKey, new IndexCheckpoint(document.seq(), purgeSeq, state).encode());
    }

    // ---- checking and dropping -----------------------------------------------------------------------------------

    /**
     * The integrity check: whether the index agrees with its checkpoint and the by-sequence log, as far as the
     * framework (the checkpoint is not ahead of the database and fits the definition) and the kind
     * ({@link Index#problem}) can tell, on one snapshot, holding the index's lock. An index that fails is cleared
     * (its next update rebuilds it) and the problem logged. Returns whether it passed.
     */
    public boolean verify(Index index) {
        IndexState state = state(index.kind(), index.signature());
        state.lock.lock();
        try (KvSnapshot snapshot = store.snapshot()) {
            IndexCheckpoint checkpoint = IndexCheckpoint.read(snapshot, index);
            if (checkpoint == null) {
                return true;
            }
            String problem = checkpoint.seq() > StoredDocs.updateSeq(snapshot) ? "checkpoint ahead of the database"
                    : !index.fits(checkpoint.state()) ? "checkpoint of another layout"
                    : index.problem(snapshot, checkpoint);
            if (problem == null) {
                return true;
            }
            LOG.log(System.Logger.Level.WARNING, "index " + index.displayName() + " is inconsistent (" + problem
                    + "); rebuilding it");
            clear(index.kind(), index.signature(), state);
            return false;
        } finally {
            state.lock.unlock();
        }
    }

    /** Drops every key and the checkpoint of the index {@code signature}, which may no longer be defined. */
    public void drop(IndexKind kind, byte[] signature) {
        IndexState state = state(kind, signature);
        state.lock.lock();
        try {
            clear(kind, signature, state);
        } finally {
            state.lock.unlock();
        }
    }

    /** Forgets the lock and state of an index no definition names any more (after its data was dropped). */
    public void forget(IndexKind kind, byte[] signature) {
        states.remove(key(kind, signature));
    }

    private void clear(IndexKind kind, byte[] signature, IndexState state) {
        state.known = null;
        try (KvBatch first = store.newBatch()) {
            // The checkpoint goes first: rows without a checkpoint are always cleared before use.
            first.delete(DocSpaces.META, kind.checkpointKey(signature));
            store.commit(first, false);
        }
        byte[] end = end(signature);
        for (Space space : kind.spaces()) {
            int staged;
            do {
                staged = 0;
                try (KvBatch batch = store.newBatch();
                     KvCursor cursor = store.scan(space, signature, end, false)) {
                    while (staged < CLEAR_BATCH && cursor.next()) {
                        batch.delete(space, cursor.key());
                        staged++;
                    }
                    if (staged > 0) {
                        store.commit(batch, false);
                    }
                }
            } while (staged >= CLEAR_BATCH);
        }
    }

    /**
     * The signature of every index of {@code kind} with data or a checkpoint stored: one seek per index, not one read
     * per row. A cleanup drops those no definition names.
     */
    public static Set<ByteBuffer> storedSignatures(KvReader reader, IndexKind kind, int signatureBytes) {
        Set<ByteBuffer> found = new HashSet<>();
        for (Space space : kind.spaces()) {
            byte[] from = null;
            while (true) {
                byte[] signature;
                try (KvCursor cursor = reader.scan(space, from, null, false)) {
                    if (!cursor.next()) {
                        break;
                    }
                    signature = Arrays.copyOf(cursor.key(), signatureBytes);
                }
                found.add(ByteBuffer.wrap(signature));
                from = end(signature);
                if (from == null) {
                    break;
                }
            }
        }
        byte[] prefix = kind.checkpointPrefix();
        try (KvCursor cursor = reader.scan(DocSpaces.META, prefix, end(prefix), false)) {
            while (cursor.next()) {
                found.add(ByteBuffer.wrap(Arrays.copyOfRange(cursor.key(), prefix.length, cursor.key().length)));
            }
        }
        return found;
    }

    /** Just past every key that starts with {@code prefix} (exclusive); null when nothing sorts after. */
    static byte[] end(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }
}
