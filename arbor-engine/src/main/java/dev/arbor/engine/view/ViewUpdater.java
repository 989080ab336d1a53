package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.collate.Collation;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.json.Json;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.kv.BatchCommits;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.js.MapRow;
import dev.arbor.core.error.ArborException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Brings a design document's view index up to date from the by-sequence log: each changed document is mapped
 * once by every view of the design document (one pass for all of them), its stale rows are found through the
 * back-index and removed, and the cached per-key reductions of every key it touched are refreshed. This is the
 * approach of the Mango {@code IndexUpdater}, extended with many rows per document and reductions.
 *
 * <p>One update runs per index at a time; a query arriving meanwhile waits on the index's lock, then finds little
 * or nothing left to do. Each batch of rows commits together with its reductions and the checkpoint (the seq it
 * covers and the views' row counts), so after a crash the index is exactly that of the checkpoint. Index batches go
 * straight to the store, not through the database's writer: they touch only the index's own keys. In a first build
 * each batch's store write runs on a commit thread while the updater maps the next batch ({@link BatchCommits}); the
 * batches still commit one at a time, in order.
 *
 * <p>Reductions: a key that only gained rows in a batch gets {@code rereduce([cached, reduce(new rows)])}; a key that
 * lost or changed rows is re-reduced from its rows (the committed ones overlaid with the batch's changes). A key's
 * reduction therefore costs work proportional to its own rows only when rows leave it.
 *
 * <p>A purge removes documents from the log without a new entry, so rows of purged documents cannot be found
 * incrementally: when the database's purge seq moved past the checkpoint's, the index is rebuilt.
 */
final class ViewUpdater {
    /**
     * Documents per committed batch: bounds the work a crash can lose. Larger batches rewrite each touched key's cached
     * reduction less often: 2,000 → 10,000 took W8's first build from 17.1 to 14.3 µs of CPU per document, and with
     * the commits pipelined 10,000 → 25,000 took its Java build from 17.2 to 13.4 µs of wall time per document (cold),
     * measured with arbor-bench's {@code W8BuildProfile}.
     */
    static final int BATCH_DOCS = 25_000;
    /** Staged writes that end a batch early, for views that emit many rows per document. */
    static final int BATCH_WRITES = 250_000;
    /** Staged bytes that end a batch early, for views that emit large values (whole documents, say). */
    static final long BATCH_BYTES = 64L << 20;
    private static final String DESIGN_PREFIX = "_design/";
    private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

    private final KvStore store;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    ViewUpdater(KvStore store) {
        this.store = store;
    }

    private ReentrantLock lock(byte[] signature) {
        return locks.computeIfAbsent(java.util.HexFormat.of().formatHex(signature), k -> new ReentrantLock(true));
    }

    /** Whether an update of the index runs, and how many callers wait for it. */
    record Activity(boolean running, int waiting) {}

    Activity activity(byte[] signature) {
        ReentrantLock lock = lock(signature);
        return new Activity(lock.isLocked(), lock.getQueueLength());
    }

    /** Indexes every change committed before this call. Returns the seq the index now reflects. */
    long update(ViewDefinition design) {
        update(List.of(design));
        return ViewKeys.Checkpoint.read(store, design.signature()).seq();
    }

    /**
     * Brings several indexes up to date in one pass over the by-seq log (typed views registered together): each
     * changed document is read and decoded once, then handed to every index whose checkpoint is before the change.
     * Each index keeps its own signature and checkpoint, so one whose definition changed rebuilds from seq 0
     * while the others only catch up, in the same pass. Holds every index's lock, taken in signature order.
     *
     * <p>The seq this caller needs is read before it waits for the locks: a caller that queued behind a running
     * update is answered by it when that update covered its changes, instead of indexing the writes that arrived
     * while it waited (under constant writes, queries would otherwise form a convoy, each waiting for the one
     * before and then indexing a little more).
     */
    void update(List<? extends ViewDefinition> definitions) {
        long requested = StoredDocs.updateSeq(store);
        java.util.TreeMap<String, ViewDefinition> bySignature = new java.util.TreeMap<>();
        definitions.forEach(design -> bySignature.putIfAbsent(design.signatureHex(), design));
        List<ReentrantLock> held = new ArrayList<>(bySignature.size());
        try {
            for (ViewDefinition design : bySignature.values()) {
                ReentrantLock lock = lock(design.signature());
                lock.lock();
                held.add(lock);
            }
            try (KvSnapshot snapshot = store.snapshot()) {
                long target = StoredDocs.updateSeq(snapshot);
                long purgeSeq = StoredDocs.purgeSeq(snapshot);
                List<Member> members = new ArrayList<>(bySignature.size());
                for (ViewDefinition design : bySignature.values()) {
                    ViewKeys.Checkpoint checkpoint = ViewKeys.Checkpoint.read(store, design.signature());
                    if (checkpoint != null && checkpoint.purgeSeq() == purgeSeq && checkpoint.seq() >= requested
                            && checkpoint.rowCounts().length == design.views().size()) {
                        continue;
                    }
                    if (checkpoint == null || checkpoint.purgeSeq() != purgeSeq
                            || checkpoint.rowCounts().length != design.views().size()) {
                        // No checkpoint means no rows were ever committed for it, except those of a clear a crash
                        // interrupted; clearing first makes both cases a clean first build.
                        clear(design.signature());
                        checkpoint = new ViewKeys.Checkpoint(0, purgeSeq, new long[design.views().size()]);
                    }
                    members.add(new Member(design, checkpoint.seq(), checkpoint.rowCounts().clone()));
                }
                if (!members.isEmpty()) {
                    apply(members, snapshot, target, purgeSeq);
                }
            }
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
    }

    /** One index of a pass: where its checkpoint stood, its row counts, and its open batch. */
    private static final class Member {
        final ViewDefinition design;
        final long from;
        final long[] counts;
        /** The reduced keys this pass touched, with what it committed for them: see {@link ReducedKeys}. */
        final ReducedKeys keys = new ReducedKeys();
        Batch batch;

        Member(ViewDefinition design, long from, long[] counts) {
            this.design = design;
            this.from = from;
            this.counts = counts;
        }
    }

    private void apply(List<Member> members, KvSnapshot snapshot, long target, long purgeSeq) {
        long from = members.stream().mapToLong(member -> member.from).min().orElseThrow();
        // A first build reads nothing of the index while it maps (no document has rows yet; reductions are read only
        // when staging, after the previous batch committed), so one batch's store write can run on another core
        // while the next batch is mapped. Catching up keeps one thread: it is short, and it reads back-index entries.
        boolean pipelined = BatchCommits.PARALLEL && members.stream().allMatch(member -> member.from == 0);
        BatchCommits commits = new BatchCommits(store, pipelined);
        KvBatch[] kv = {store.newBatch()};
        members.forEach(member -> member.batch = batch(member, kv[0]));
        int[] docs = {0};
        try {
            StoredDocs.changesSince(snapshot, from, change -> {
                IndexedDocument doc = change.deleted() || change.id().startsWith(DESIGN_PREFIX)
                        ? null : read(snapshot, change);
                for (Member member : members) {
                    if (change.seq() > member.from) {
                        member.batch.document(change.id(), doc);
                    }
                }
                if (++docs[0] >= BATCH_DOCS || kv[0].size() >= BATCH_WRITES || kv[0].byteSize() >= BATCH_BYTES) {
                    docs[0] = 0;
                    // Staging reads the reductions the previous batch wrote: it must be committed first.
                    commits.awaitPrevious();
                    stage(members, change.seq(), purgeSeq);
                    KvBatch full = kv[0];
                    kv[0] = null;
                    commits.commit(full);
                    kv[0] = store.newBatch();
                    members.forEach(member -> member.batch = batch(member, kv[0]));
                }
                return true;
            });
            commits.awaitPrevious();
            stage(members, target, purgeSeq);
            KvBatch last = kv[0];
            kv[0] = null;
            commits.commit(last);
            commits.awaitPrevious();
        } finally {
            commits.abandon();
            if (kv[0] != null) {
                kv[0].close();
            }
        }
    }

    /**
     * The winning revision of a change: its body bytes as stored, the revision from the log entry, so neither the
     * revision tree nor the body is decoded here (each view decodes what it needs, once per pass).
     */
    private static IndexedDocument read(KvSnapshot snapshot, StoredDocs.Change change) {
        StoredDocs.StoredWinner stored = StoredDocs.stored(snapshot, change.id());
        if (stored == null) {
            return null;
        }
        byte[] body = stored.plainBody();
        if (body != null) {
            return IndexedDocument.ofBody(change.id(), change.rev(), body);
        }
        // With its _conflicts, as CouchDB's indexer opens documents (couch_mrview_updater: [conflicts]).
        ObjectNode doc = stored.document(true);
        return doc == null ? null : IndexedDocument.of(change.id(), doc);
    }

    /** The member's batch of the next {@link #BATCH_DOCS} documents, staged into the pass's shared store batch. */
    private Batch batch(Member member, KvBatch kv) {
        // From seq 0 the index starts empty and the log names each document once: no document has old rows.
        return new Batch(member.design, member.counts, IndexTarget.separate(store, kv), false, member.from == 0,
                member.keys);
    }

    /** Stages every member's reductions and checkpoint (never behind its own) into the batch they share. */
    private static void stage(List<Member> members, long seq, long purgeSeq) {
        for (Member member : members) {
            member.batch.stage(Math.max(seq, member.from), purgeSeq);
        }
    }

    /**
     * A batch staged into someone else's commit (the writer's, for eager views): {@link Batch#stage} writes its
     * reductions and checkpoint into {@code target}, and unique views refuse a key another document has.
     */
    Batch stagedBatch(ViewDefinition design, long[] counts, IndexTarget target) {
        return new Batch(design, counts, target, true, false, new ReducedKeys());
    }

    /**
     * The keys with a reduce function that one pass touched, by reduce key, each with what the pass committed for it
     * ({@link PendingKey#committed}): a key that gains rows batch after batch of a build is then read and decoded
     * from the store once, not once per batch, and found with one lookup per row. Valid for the pass only: it holds
     * the index's lock, so nothing else writes the index meanwhile. Bounded: past {@link #LIMIT} keys it starts over
     * (between batches, when no key is pending).
     */
    private static final class ReducedKeys {
        static final int LIMIT = 100_000;
        final Map<ByteKey, PendingKey> byReduceKey = new HashMap<>();
        /** The keys the open batch changed, in the order it first did. */
        final List<PendingKey> pending = new ArrayList<>();
    }

    /** A row a document emits now. */
    private record NewRow(int ordinal, byte[] rowKey, byte[] encodedKey, Emitted emitted, byte[] stored) {}

    /** What a batch did to one key of a view with a reduce function. */
    private static final class PendingKey {
        final ByteKey reduceKey;
        final int ordinal;
        /** The key's partition in a partitioned index ({@link ViewKeys#partitionKey}), else empty. */
        final byte[] partitionKey;
        boolean rescan;
        final List<MapRow> added = new ArrayList<>();
        /** Each added row's {@link Emitted#mapped()}, at the same position as in {@link #added}. */
        final List<Object> addedMapped = new ArrayList<>();
        /** Whether every row of {@link #added} has its mapped object (none is null). */
        boolean allMapped = true;

        /** Whether the open batch changed the key (it is in {@link ReducedKeys#pending}). */
        boolean isPending;
        /** Whether {@link #committed} is the key's reduction as this pass left it (else read it from the store). */
        boolean known;
        KeyReduction committed;

        PendingKey(ByteKey reduceKey, int ordinal, byte[] partitionKey) {
            this.reduceKey = reduceKey;
            this.ordinal = ordinal;
            this.partitionKey = partitionKey;
        }
    }

    /**
     * The changes of up to {@link #BATCH_DOCS} documents, staged into one {@link IndexTarget}. Owned by one thread:
     * the updater holding the index's lock, or the writer.
     */
    final class Batch {
        private final ViewDefinition design;
        private final long[] counts;
        private final byte[][] prefixes;
        private final IndexTarget target;
        private final boolean checkUnique;
        /**
         * Part of a first build: no document has rows yet, so the back-index is not read and rows are not kept in the
         * overlay (no key can lose rows, so none is re-reduced from its rows; measured as most of a first build's CPU).
         */
        private final boolean firstBuild;
        /** Row changes staged in this batch (null: deleted), for re-reducing keys before they are committed. */
        private final NavigableMap<byte[], byte[]> overlay = new TreeMap<>(UNSIGNED);
        /** The reduced keys of the pass (of this batch only, for one staged into the writer's commit). */
        private final ReducedKeys keys;
        private final List<Optional<ViewReduce>> reduces;
        /** {@link #reduces} with null for views without one, as {@link GroupReductions} takes them. */
        private final List<ViewReduce> groupFunctions;
        private final GroupReductions.Pending groups;
        /**
         * Row count changes of each (view, partition) of a partitioned index, by {@link ViewKeys#partitionCountKey},
         * staged at {@link #stage} with the rows they count.
         */
        private final Map<ByteKey, Long> partitionDeltas = new java.util.LinkedHashMap<>();
        /** The document being indexed: its partition key (empty for a global index) and each view's key prefix. */
        private byte[] partitionKey = new byte[0];
        private byte[][] keyPrefixes;

        private Batch(ViewDefinition design, long[] counts, IndexTarget target, boolean checkUnique,
                      boolean firstBuild, ReducedKeys keys) {
            this.firstBuild = firstBuild;
            this.keys = keys;
            this.design = design;
            this.counts = counts;
            this.target = target;
            this.checkUnique = checkUnique;
            this.prefixes = new byte[design.views().size()][];
            List<Optional<ViewReduce>> reduces = new ArrayList<>(prefixes.length);
            for (int i = 0; i < prefixes.length; i++) {
                prefixes[i] = ViewKeys.viewPrefix(design.signature(), i);
                reduces.add(design.reduce(i));
            }
            this.reduces = reduces;
            this.groupFunctions = reduces.stream().map(reduce -> reduce.orElse(null)).toList();
            this.groups = new GroupReductions.Pending(design.signature());
            this.keyPrefixes = prefixes;
        }

        /** Replaces the rows of document {@code id} by those {@code doc} emits now (none when it is null: deleted). */
        void document(String id, IndexedDocument doc) {
            byte[] docKey = ViewKeys.docKey(design.signature(), id);
            if (design.partitioned()) {
                String partition = dev.arbor.core.doc.Partitions.partitionOf(id);
                // Only documents of a partition have rows in a partitioned index (CouchDB maps no others).
                if (partition == null) {
                    doc = null;
                    partitionKey = new byte[0];
                } else {
                    partitionKey = ViewKeys.partitionKey(partition);
                }
                keyPrefixes = new byte[prefixes.length][];
                for (int i = 0; i < prefixes.length; i++) {
                    keyPrefixes[i] = ViewKeys.concat(prefixes[i], partitionKey);
                }
            }
            int keyPrefixLength = keyPrefixes.length == 0 ? 0 : keyPrefixes[0].length;
            List<ViewKeys.DocRow> oldRows = firstBuild ? List.of() : ViewKeys.DocRow.decodeAll(target.get(ViewSpaces.DOCS, docKey));
            List<NewRow> newRows = doc == null ? List.of() : map(id, doc);
            java.util.Set<ByteKey> newKeys = new java.util.HashSet<>();
            if (!oldRows.isEmpty()) {
                newRows.forEach(row -> newKeys.add(new ByteKey(row.rowKey())));
            }
            for (ViewKeys.DocRow old : oldRows) {
                if (!newKeys.contains(new ByteKey(old.rowKey()))) {
                    target.delete(ViewSpaces.ROWS, old.rowKey());
                    overlay.put(old.rowKey(), null);
                    count(old.ordinal(), -1);
                    markRescan(old.ordinal(), old.encodedKey(keyPrefixLength));
                }
            }
            java.util.Set<ByteKey> oldKeys = new java.util.HashSet<>();
            oldRows.forEach(old -> oldKeys.add(new ByteKey(old.rowKey())));
            List<ViewKeys.DocRow> index = new ArrayList<>(newRows.size());
            for (NewRow row : newRows) {
                byte[] rowKey = row.rowKey();
                index.add(new ViewKeys.DocRow(rowKey, row.ordinal(), row.encodedKey().length));
                if (checkUnique && design.unique(row.ordinal())) {
                    requireUnclaimed(row, id);
                }
                if (!oldKeys.isEmpty() && oldKeys.contains(new ByteKey(rowKey))) {
                    if (Arrays.equals(target.get(ViewSpaces.ROWS, rowKey), row.stored())) {
                        continue;
                    }
                    markRescan(row.ordinal(), row.encodedKey());
                } else {
                    count(row.ordinal(), 1);
                    PendingKey key = pendingKey(row.ordinal(), row.encodedKey());
                    if (key != null) {
                        key.added.add(new MapRow(row.emitted().key(), id, row.emitted().value()));
                        key.addedMapped.add(row.emitted().mapped());
                        key.allMapped &= row.emitted().mapped() != null;
                    }
                }
                target.put(ViewSpaces.ROWS, rowKey, row.stored());
                if (!firstBuild) {
                    overlay.put(rowKey, row.stored());
                }
            }
            if (!index.isEmpty()) {
                target.put(ViewSpaces.DOCS, docKey, ViewKeys.DocRow.encodeAll(index));
            } else if (!oldRows.isEmpty()) {
                target.delete(ViewSpaces.DOCS, docKey);
            }
        }

        /** Counts a row added to (1) or removed from (-1) a view, and in a partitioned index to its partition. */
        private void count(int ordinal, int delta) {
            counts[ordinal] += delta;
            if (partitionKey.length > 0) {
                partitionDeltas.merge(new ByteKey(ViewKeys.partitionCountKey(design.signature(), ordinal, partitionKey)),
                        (long) delta, Long::sum);
            }
        }

        /** A unique view's key may have rows of one document only: refuses the row when another one has the key. */
        private void requireUnclaimed(NewRow row, String id) {
            byte[] from = ViewKeys.reduceKey(keyPrefixes[row.ordinal()], row.encodedKey());
            for (byte[] stored : rowsOf(from, ViewKeys.end(from)).values()) {
                String owner = Json.parse(stored).get(2).asText();
                if (!owner.equals(id)) {
                    throw new ArborException.Conflict("unique view " + design.views().get(row.ordinal()) + ": key "
                            + Json.text(row.emitted().key()) + " already belongs to document " + owner);
                }
            }
        }

        /** The rows in {@code [from, to)} as this batch leaves them. */
        private NavigableMap<byte[], byte[]> rowsOf(byte[] from, byte[] to) {
            NavigableMap<byte[], byte[]> rows = target.scan(ViewSpaces.ROWS, from, to);
            overlay.subMap(from, true, to, false).forEach((rowKey, stored) -> {
                if (stored == null) {
                    rows.remove(rowKey);
                } else {
                    rows.put(rowKey, stored);
                }
            });
            return rows;
        }

        /**
         * The document's rows in every view. A document's rows with equal keys are ranked by value (collation),
         * as CouchDB and PouchDB both sort a document's emits by key, then value.
         */
        private List<NewRow> map(String id, IndexedDocument doc) {
            List<List<Emitted>> emitted = design.map(doc);
            List<NewRow> rows = new ArrayList<>();
            // Views sharing a map (the same list) share its ranking, key encodings and stored rows.
            List<Emitted> sharedEmits = null;
            List<NewRow> sharedRows = null;
            for (int ordinal = 0; ordinal < prefixes.length; ordinal++) {
                List<Emitted> emits = emitted.get(ordinal);
                if (emits == sharedEmits) {
                    for (int rank = 0; rank < sharedRows.size(); rank++) { // in rank order
                        NewRow shared = sharedRows.get(rank);
                        rows.add(new NewRow(ordinal, ViewKeys.rowKey(keyPrefixes[ordinal], shared.encodedKey(), id,
                                rank), shared.encodedKey(), shared.emitted(), shared.stored()));
                    }
                    continue;
                }
                List<NewRow> viewRows = rows(ordinal, id, emits);
                rows.addAll(viewRows);
                sharedEmits = emits;
                sharedRows = viewRows;
            }
            return rows;
        }

        /** The rows of one view's emits, ranked by key, then value. */
        private List<NewRow> rows(int ordinal, String id, List<Emitted> emitted) {
            List<Emitted> emits = emitted;
            if (emits.size() > 1) {
                emits = new ArrayList<>(emitted);
                emits.sort((a, b) -> {
                    int byKey = Collation.INSTANCE.compare(a.key(), b.key());
                    return byKey != 0 ? byKey : Collation.INSTANCE.compare(a.value(), b.value());
                });
            }
            List<NewRow> rows = new ArrayList<>(emits.size());
            for (int rank = 0; rank < emits.size(); rank++) {
                Emitted emit = emits.get(rank);
                byte[] encodedKey = KeyEncoding.encode(emit.key());
                byte[] rowKey = ViewKeys.rowKey(keyPrefixes[ordinal], encodedKey, id, rank);
                ArrayNode stored = Json.MAPPER.createArrayNode().add(emit.key()).add(emit.value()).add(id);
                rows.add(new NewRow(ordinal, rowKey, encodedKey, emit, Json.bytes(stored)));
            }
            return rows;
        }

        /** The pending reduction of a key, or null when the view has no reduce function. */
        private PendingKey pendingKey(int ordinal, byte[] encodedKey) {
            if (reduces.get(ordinal).isEmpty()) {
                return null;
            }
            byte[] reduceKey = ViewKeys.reduceKey(keyPrefixes[ordinal], encodedKey);
            byte[] partition = partitionKey;
            PendingKey key = keys.byReduceKey.computeIfAbsent(new ByteKey(reduceKey),
                    k -> new PendingKey(k, ordinal, partition));
            if (!key.isPending) {
                key.isPending = true;
                keys.pending.add(key);
            }
            return key;
        }

        private void markRescan(int ordinal, byte[] encodedKey) {
            PendingKey key = pendingKey(ordinal, encodedKey);
            if (key != null) {
                key.rescan = true;
            }
        }

        /**
         * Stages the refreshed reductions of every key the batch touched, then of the groups those keys are in
         * ({@link GroupReductions}), and the checkpoint covering {@code seq}.
         */
        void stage(long seq, long purgeSeq) {
            Map<ByteKey, KeyReduction> stagedKeys = new HashMap<>();
            for (PendingKey key : keys.pending) {
                byte[] reduceKey = key.reduceKey.bytes();
                KeyReduction cached;
                if (key.known) {
                    cached = key.committed;
                } else {
                    byte[] cachedBytes = target.get(ViewSpaces.REDUCE, reduceKey);
                    cached = cachedBytes == null ? null : KeyReduction.decode(cachedBytes);
                }
                ViewReduce function = reduces.get(key.ordinal).orElseThrow();
                KeyReduction reduction;
                GroupReductions.KeyChange change;
                if (!key.rescan) {
                    JsonNode added = KeyReduction.reduce(function, key.added,
                            key.allMapped ? key.addedMapped : null);
                    reduction = cached == null ? new KeyReduction(key.added.get(0).key(), key.added.size(), added)
                            : new KeyReduction(cached.key(), cached.rows() + key.added.size(),
                            KeyReduction.rereduce(function, List.of(cached.reduction(), added)));
                    change = new GroupReductions.KeyChange(reduction.key(), added, key.added.size());
                } else {
                    reduction = rescanned(reduceKey, cached, function);
                    change = new GroupReductions.KeyChange(reduction != null ? reduction.key() : cached.key(), null, 0);
                }
                if (reduction == null) {
                    target.delete(ViewSpaces.REDUCE, reduceKey);
                } else {
                    target.put(ViewSpaces.REDUCE, reduceKey, reduction.encode());
                }
                stagedKeys.put(key.reduceKey, reduction);
                key.known = true;
                key.committed = reduction;
                key.isPending = false;
                key.rescan = false;
                key.added.clear();
                key.addedMapped.clear();
                key.allMapped = true;
                groups.changed(key.ordinal, key.partitionKey, change);
            }
            keys.pending.clear();
            if (keys.byReduceKey.size() > ReducedKeys.LIMIT) {
                keys.byReduceKey.clear();
            }
            groups.stage(target, groupFunctions, prefixes, stagedKeys);
            for (Map.Entry<ByteKey, Long> delta : partitionDeltas.entrySet()) {
                byte[] countKey = delta.getKey().bytes();
                byte[] stored = target.get(ViewSpaces.REDUCE, countKey);
                long count = (stored == null ? 0 : ViewKeys.decodeCount(stored)) + delta.getValue();
                if (count == 0) {
                    target.delete(ViewSpaces.REDUCE, countKey);
                } else {
                    target.put(ViewSpaces.REDUCE, countKey, ViewKeys.encodeCount(count));
                }
            }
            partitionDeltas.clear();
            target.put(DocSpaces.META, ViewKeys.checkpointKey(design.signature()),
                    new ViewKeys.Checkpoint(seq, purgeSeq, counts.clone()).encode());
        }

        /** A key's reduction re-reduced from its rows as this batch leaves them, or null when it has none left. */
        private KeyReduction rescanned(byte[] reduceKey, KeyReduction cached, ViewReduce function) {
            NavigableMap<byte[], byte[]> rows = rowsOf(reduceKey, ViewKeys.end(reduceKey));
            if (rows.isEmpty()) {
                return null;
            }
            List<MapRow> mapRows = new ArrayList<>(rows.size());
            for (byte[] stored : rows.values()) {
                JsonNode row = Json.parse(stored);
                mapRows.add(new MapRow(row.get(0), row.get(2).asText(), row.get(1)));
            }
            JsonNode shownKey = cached != null ? cached.key() : mapRows.get(0).key();
            return new KeyReduction(shownKey, mapRows.size(), KeyReduction.reduce(function, mapRows));
        }
    }

    /**
     * The integrity check: whether the index agrees with its checkpoint and the by-seq log. Holding the index's
     * lock, on one snapshot: the checkpoint is not ahead of the database; each view has as many rows as the
     * checkpoint counts, and as many as its cached reductions count; every row the back-index names exists, and
     * the back-index names as many rows as there are; every document with rows is live as of the checkpoint, unless
     * it changed after it; in a partitioned index, every partition's row count is that of its rows. An index that fails is cleared (the next update rebuilds it). Returns whether it passed.
     */
    boolean verify(ViewDefinition design) {
        ReentrantLock lock = lock(design.signature());
        lock.lock();
        try (KvSnapshot snapshot = store.snapshot()) {
            ViewKeys.Checkpoint checkpoint = ViewKeys.Checkpoint.read(snapshot, design.signature());
            if (checkpoint == null) {
                return true;
            }
            String problem = problem(design, snapshot, checkpoint);
            if (problem == null) {
                return true;
            }
            System.getLogger(ViewUpdater.class.getName()).log(System.Logger.Level.WARNING,
                    "index of " + design.id() + " is inconsistent (" + problem + "); rebuilding it");
            clear(design.signature());
            return false;
        } finally {
            lock.unlock();
        }
    }

    private static String problem(ViewDefinition design, KvSnapshot snapshot, ViewKeys.Checkpoint checkpoint) {
        if (checkpoint.seq() > StoredDocs.updateSeq(snapshot)) {
            return "checkpoint ahead of the database";
        }
        if (checkpoint.rowCounts().length != design.views().size()) {
            return "checkpoint counts another number of views";
        }
        long rows = 0;
        for (int ordinal = 0; ordinal < design.views().size(); ordinal++) {
            byte[] prefix = ViewKeys.viewPrefix(design.signature(), ordinal);
            long count = 0;
            Map<ByteKey, Long> perPartition = new HashMap<>();
            try (KvCursor cursor = snapshot.scan(ViewSpaces.ROWS, prefix, ViewKeys.end(prefix), false)) {
                while (cursor.next()) {
                    count++;
                    if (design.partitioned()) {
                        perPartition.merge(partitionOfRow(cursor.key(), prefix.length), 1L, Long::sum);
                    }
                }
            }
            if (count != checkpoint.rowCounts()[ordinal]) {
                return "view " + design.views().get(ordinal) + " has " + count + " rows, checkpoint says "
                        + checkpoint.rowCounts()[ordinal];
            }
            if (design.partitioned()) {
                String partitions = partitionCountsProblem(snapshot, design, ordinal, perPartition);
                if (partitions != null) {
                    return partitions;
                }
            }
            rows += count;
            if (design.reduce(ordinal).isPresent()) {
                long reduced = 0;
                long[] grouped = new long[GroupReductions.MAX_LEVEL + 1];
                try (KvCursor cursor = snapshot.scan(ViewSpaces.REDUCE, prefix, ViewKeys.end(prefix), false)) {
                    while (cursor.next()) {
                        KeyReduction reduction = KeyReduction.decode(cursor.value());
                        reduced += reduction.rows();
                        for (int level = 1; level <= GroupReductions.levels(reduction.key()); level++) {
                            grouped[level] += reduction.rows();
                        }
                    }
                }
                if (reduced != count) {
                    return "reductions of view " + design.views().get(ordinal) + " count " + reduced + " rows";
                }
                if (!Arrays.equals(grouped, GroupReductions.rowsPerLevel(snapshot, design.signature(), ordinal))) {
                    return "group reductions of view " + design.views().get(ordinal) + " disagree with its keys'";
                }
            }
        }
        long referenced = 0;
        byte[] signature = design.signature();
        try (KvCursor cursor = snapshot.scan(ViewSpaces.DOCS, signature, ViewKeys.end(signature), false)) {
            while (cursor.next()) {
                String id = new String(cursor.key(), signature.length, cursor.key().length - signature.length,
                        java.nio.charset.StandardCharsets.UTF_8);
                for (ViewKeys.DocRow row : ViewKeys.DocRow.decodeAll(cursor.value())) {
                    if (snapshot.get(ViewSpaces.ROWS, row.rowKey()) == null) {
                        return "a row of " + id + " is missing";
                    }
                    referenced++;
                }
                if (StoredDocs.winner(snapshot, id, false) == null && !changedAfter(snapshot, id, checkpoint.seq())) {
                    return "deleted document " + id + " still has rows";
                }
            }
        }
        return referenced == rows ? null : "the back-index names " + referenced + " rows of " + rows;
    }

    /** The partition key ({@link ViewKeys#partitionKey}: length, then name) of a row of a partitioned index. */
    private static ByteKey partitionOfRow(byte[] rowKey, int viewPrefixLength) {
        int length = ((rowKey[viewPrefixLength] & 0xFF) << 8) | (rowKey[viewPrefixLength + 1] & 0xFF);
        return new ByteKey(Arrays.copyOfRange(rowKey, viewPrefixLength, viewPrefixLength + 2 + length));
    }

    /** Whether every partition's stored row count ({@link ViewKeys#partitionCountKey}) is that of its rows. */
    private static String partitionCountsProblem(KvSnapshot snapshot, ViewDefinition design, int ordinal,
                                                 Map<ByteKey, Long> counted) {
        byte[] prefix = ViewKeys.partitionCountsPrefix(design.signature(), ordinal);
        Map<ByteKey, Long> stored = new HashMap<>();
        try (KvCursor cursor = snapshot.scan(ViewSpaces.REDUCE, prefix, ViewKeys.end(prefix), false)) {
            while (cursor.next()) {
                stored.put(new ByteKey(Arrays.copyOfRange(cursor.key(), prefix.length, cursor.key().length)),
                        ViewKeys.decodeCount(cursor.value()));
            }
        }
        if (stored.equals(counted)) {
            return null;
        }
        for (Map.Entry<ByteKey, Long> partition : counted.entrySet()) {
            Long count = stored.get(partition.getKey());
            if (!partition.getValue().equals(count)) {
                return "partition " + partitionName(partition.getKey()) + " of view " + design.views().get(ordinal)
                        + " has " + partition.getValue() + " rows, its count says " + (count == null ? 0 : count);
            }
        }
        return "view " + design.views().get(ordinal) + " counts rows of a partition that has none";
    }

    private static String partitionName(ByteKey partitionKey) {
        byte[] bytes = partitionKey.bytes();
        return new String(bytes, 2, bytes.length - 2, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether the by-seq log has a change of {@code id} after {@code seq} (the index has not seen it yet). */
    private static boolean changedAfter(KvSnapshot snapshot, String id, long seq) {
        boolean[] found = {false};
        StoredDocs.changesSince(snapshot, seq, change -> {
            found[0] = change.id().equals(id);
            return !found[0];
        });
        return found[0];
    }

    /** Drops every row, back-reference, reduction and the checkpoint of an index, in bounded batches. */
    void drop(byte[] signature) {
        ReentrantLock lock = lock(signature);
        lock.lock();
        try {
            clear(signature);
        } finally {
            lock.unlock();
        }
    }

    private void clear(byte[] signature) {
        try (KvBatch first = store.newBatch()) {
            // The checkpoint goes first: rows without a checkpoint are always cleared before use.
            first.delete(DocSpaces.META, ViewKeys.checkpointKey(signature));
            store.commit(first, false);
        }
        for (Space space : ViewSpaces.ALL) {
            int staged;
            do {
                staged = 0;
                try (KvBatch batch = store.newBatch();
                     KvCursor cursor = store.scan(space, signature, ViewKeys.end(signature), false)) {
                    while (staged < BATCH_DOCS && cursor.next()) {
                        batch.delete(space, cursor.key());
                        staged++;
                    }
                    if (staged > 0) {
                        store.commit(batch, false);
                    }
                }
            } while (staged >= BATCH_DOCS);
        }
    }
}
