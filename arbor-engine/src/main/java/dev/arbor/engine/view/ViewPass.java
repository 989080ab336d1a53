package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.collate.Collation;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.json.Json;
import dev.arbor.engine.index.ChangedDocument;
import dev.arbor.engine.index.Index;
import dev.arbor.engine.index.IndexCheckpoint;
import dev.arbor.engine.index.IndexPass;
import dev.arbor.engine.index.IndexTarget;
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

/**
 * One update of a view index ({@link IndexPass}): each changed document is mapped once by every view of the
 * definition (one pass for all of them), its stale rows are found through the back-index and removed, and the cached
 * per-key reductions of every key it touched are refreshed at the end of each batch.
 *
 * <p>Reductions: a key that only gained rows in a batch gets {@code rereduce([cached, reduce(new rows)])}; a key that
 * lost or changed rows is re-reduced from its rows (the committed ones overlaid with the batch's changes). A key's
 * reduction therefore costs work proportional to its own rows only when rows leave it.
 *
 * <p>A first build reads nothing of the index while it maps (no document has rows yet; reductions are read only when
 * a batch finishes, after the previous batch committed), as the framework requires of a pass whose commits overlap
 * its mapping. In the writer's commit (eager and unique typed views) a unique view refuses a key another document has.
 */
final class ViewPass implements IndexPass {
    /**
     * Documents per committed batch. Larger batches rewrite each touched key's cached reduction less often: 2,000 →
     * 10,000 took W8's first build from 17.1 to 14.3 µs of CPU per document, and with the commits pipelined 10,000 →
     * 25,000 took its Java build from 17.2 to 13.4 µs of wall time per document (cold), measured with arbor-bench's
     * {@code W8BuildProfile}.
     */
    static final int BATCH_DOCUMENTS = 25_000;
    private static final String DESIGN_PREFIX = "_design/";
    private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;
    /** The key of a changed document's {@link IndexedDocument}, shared by every view index of a pass. */
    private static final Object INDEXED = new Object();

    private final ViewDefinition design;
    private final long[] counts;
    private final boolean checkUnique;
    private final boolean firstBuild;
    /** The reduced keys this pass touched, with what it committed for them: see {@link ReducedKeys}. */
    private final ReducedKeys keys = new ReducedKeys();
    /** The open batch, or null between batches. */
    private Batch batch;

    ViewPass(ViewDefinition design, IndexCheckpoint from, Index.Staging staging) {
        this.design = design;
        this.counts = ViewKeys.counts(from.state());
        this.checkUnique = staging == Index.Staging.WRITERS_COMMIT;
        // From seq 0 the index starts empty and the log names each document once: no document has old rows.
        this.firstBuild = staging == Index.Staging.OWN_BATCHES && from.seq() == 0;
    }

    @Override
    public void stage(List<ChangedDocument> documents, IndexTarget target) {
        Batch open = open(target);
        for (ChangedDocument document : documents) {
            IndexedDocument doc = document.deleted() || document.id().startsWith(DESIGN_PREFIX)
                    ? null : document.decoded(INDEXED, ViewPass::indexed);
            open.document(document.id(), doc);
        }
    }

    @Override
    public byte[] finish(IndexTarget target) {
        open(target).stage();
        batch = null;
        return ViewKeys.countsState(counts);
    }

    private Batch open(IndexTarget target) {
        if (batch == null) {
            batch = new Batch(design, counts, target, checkUnique, firstBuild, keys);
        }
        return batch;
    }

    /**
     * The winning revision as the views map it: its body bytes as stored and the revision from the log entry, so
     * neither the revision tree nor the body is decoded here (each view decodes what it needs, once per pass).
     */
    private static IndexedDocument indexed(ChangedDocument document) {
        byte[] body = document.plainBody();
        if (body != null) {
            return IndexedDocument.ofBody(document.id(), document.rev(), body);
        }
        // With its _conflicts, as CouchDB's indexer opens documents (couch_mrview_updater: [conflicts]).
        ObjectNode doc = document.document(true);
        return doc == null ? null : IndexedDocument.of(document.id(), doc);
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
     * The changes of one batch of documents, staged into one {@link IndexTarget}. Owned by the pass's thread.
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
         * ({@link GroupReductions}), and each partition's row count.
         */
        void stage() {
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
}
