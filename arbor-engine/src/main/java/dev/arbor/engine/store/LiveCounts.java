package dev.arbor.engine.store;


import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.KvStore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * How many live (not deleted) documents lie in each of a set of consecutive id ranges ("buckets"), so that
 * the number of live documents before an id costs a walk over the bucket counts plus the documents of one
 * bucket, instead of every document before it. {@code _all_docs} needs that number for its {@code offset}
 * (CouchDB reads it from its b-tree's reductions) and a partition's {@code total_rows}; counting documents
 * made paging through {@code _all_docs} by {@code startkey} quadratic in the database's size.
 *
 * <p>Layout, in {@link DocSpaces#META}: {@code "live/" + bucket's lowest id} → varint count of live documents whose
 * ids fall in {@code [lowest, next bucket's lowest)}. The first bucket's lowest id is empty, so every id has a
 * bucket. A bucket that passes {@link #SPLIT_AT} live documents is split at its middle after the commit that
 * grew it, in a batch of its own; buckets are never merged (an emptied bucket costs one entry).
 *
 * <p>Threads: the database's writer (whoever holds the commit lock) owns {@link #boundaries}, {@link #grown}
 * and every write of these keys, staging count changes in the document's own unit of work so they commit, or
 * roll back, with it. Readers never look at this object: they read the keys from their snapshot
 * ({@link #liveBefore}), where counts and documents always agree.
 */
public final class LiveCounts {
    /** Live documents a bucket may hold before it is split in two. */
    static final int SPLIT_AT = 1_024;
    private static final byte[] PREFIX = "live/".getBytes(StandardCharsets.UTF_8);
    /** Just past every bucket key: the prefix with its last byte ('/') raised by one. */
    static final byte[] PREFIX_END = "live0".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FIRST = key(new byte[0]);
    private static final System.Logger LOG = System.getLogger(LiveCounts.class.getName());

    private final KvStore store;
    /** Every bucket's lowest id (DOCS key bytes), in unsigned order. */
    private final TreeSet<byte[]> boundaries = new TreeSet<>(Arrays::compareUnsigned);
    /** Buckets that gained documents since the last split check. */
    private final Set<byte[]> grown = new HashSet<>();

    private LiveCounts(KvStore store) {
        this.store = store;
    }

    /**
     * Reads the buckets of {@code store}; a database written before they existed gets them now, counted by
     * one scan over its documents and committed in one batch (before its writer takes any write).
     */
    public static LiveCounts open(KvStore store) {
        LiveCounts counts = new LiveCounts(store);
        counts.load();
        if (counts.boundaries.isEmpty()) {
            counts.build();
        }
        return counts;
    }

    private void load() {
        boundaries.clear();
        try (KvCursor cursor = store.scan(DocSpaces.META, PREFIX, PREFIX_END, false)) {
            while (cursor.next()) {
                boundaries.add(Arrays.copyOfRange(cursor.key(), PREFIX.length, cursor.key().length));
            }
        }
    }

    private void build() {
        try (KvBatch batch = store.newBatch()) {
            byte[] lowest = new byte[0];
            long live = 0;
            try (KvCursor cursor = store.scan(DocSpaces.DOCS, null, null, false)) {
                while (cursor.next()) {
                    if (isDeleted(cursor)) {
                        continue;
                    }
                    if (live == SPLIT_AT / 2) {
                        batch.put(DocSpaces.META, key(lowest), count(live));
                        boundaries.add(lowest);
                        lowest = cursor.key();
                        live = 0;
                    }
                    live++;
                }
            }
            batch.put(DocSpaces.META, key(lowest), count(live));
            boundaries.add(lowest);
            store.commit(batch, true);
        }
    }

    /** After the store reopened behind a failed write, its buckets are the truth. */
    public void reload() {
        grown.clear();
        load();
    }

    /**
     * Stages a document's change of liveness in the writer's unit of work.
     *
     * @param delta +1 when the document became live (created or undeleted), -1 when it stopped being live
     */
    public void changed(StagedWrites ctx, byte[] id, int delta) {
        byte[] bucket = boundaries.floor(id);
        byte[] key = key(bucket);
        ctx.put(DocSpaces.META, key, count(decodeCount(ctx.get(DocSpaces.META, key)) + delta));
        if (delta > 0) {
            grown.add(bucket);
        }
    }

    /** Called by the writer after a commit: splits the buckets that grew past {@link #SPLIT_AT}. */
    public void splitGrown() {
        if (grown.isEmpty()) {
            return;
        }
        try {
            for (byte[] bucket : grown) {
                long live = decodeCount(store.get(DocSpaces.META, key(bucket)));
                if (live > SPLIT_AT) {
                    split(bucket, live);
                }
            }
        } catch (RuntimeException e) {
            // The documents are committed; an unsplit bucket only makes offsets of its range slower to count.
            LOG.log(System.Logger.Level.WARNING, "splitting a live-count bucket failed; it stays whole", e);
        } finally {
            grown.clear();
        }
    }

    /** Moves the upper half of {@code bucket}'s live documents into a new bucket starting at the middle one. */
    private void split(byte[] bucket, long live) {
        byte[] next = boundaries.higher(bucket);
        long lower = live / 2;
        long seen = 0;
        try (KvCursor cursor = store.scan(DocSpaces.DOCS, bucket.length == 0 ? null : bucket, next, false)) {
            while (cursor.next()) {
                if (isDeleted(cursor)) {
                    continue;
                }
                if (seen == lower) {
                    byte[] middle = cursor.key();
                    try (KvBatch batch = store.newBatch()) {
                        batch.put(DocSpaces.META, key(bucket), count(lower));
                        batch.put(DocSpaces.META, key(middle), count(live - lower));
                        // Not synced: losing the split in a crash leaves one large bucket, still counted right.
                        store.commit(batch, false);
                    }
                    boundaries.add(middle);
                    return;
                }
                seen++;
            }
        }
    }

    /**
     * The number of live documents whose ids sort before {@code id} (DOCS key bytes), as of {@code reader}'s
     * view; {@code total} (the database's live count) when {@code id} is null.
     */
    public static long liveBefore(KvReader reader, byte[] id, long total) {
        if (id == null) {
            return total;
        }
        long sum = 0;
        long last = 0;
        byte[] lastBucket = null;
        try (KvCursor cursor = reader.scan(DocSpaces.META, FIRST, key(id), false)) {
            while (cursor.next()) {
                sum += last;
                last = decodeCount(cursor.value());
                lastBucket = Arrays.copyOfRange(cursor.key(), PREFIX.length, cursor.key().length);
            }
        }
        if (lastBucket == null) {
            return countLive(reader, null, id); // no buckets: a store that has none yet (never after open)
        }
        return sum + countLive(reader, lastBucket.length == 0 ? null : lastBucket, id);
    }

    /** Live documents with ids in {@code [from, to)}, counted one by one (null bounds are open). */
    static long countLive(KvReader reader, byte[] from, byte[] to) {
        long live = 0;
        try (KvCursor cursor = reader.scan(DocSpaces.DOCS, from, to, false)) {
            while (cursor.next()) {
                if (!isDeleted(cursor)) {
                    live++;
                }
            }
        }
        return live;
    }

    /** Whether a stored {@link DocRecord}'s winner is deleted, read from its winner record's flag without decoding its tree. */
    /**
     * Whether the document at {@code cursor} (over DOCS) is deleted, from the record's summary: an encrypted store
     * answers it without opening the record, which counting a bucket would otherwise do for every document in it.
     */
    static boolean isDeleted(KvCursor cursor) {
        return cursor.summary(DocSpaces.DOCS) == 1;
    }

    private static byte[] key(byte[] id) {
        byte[] key = Arrays.copyOf(PREFIX, PREFIX.length + id.length);
        System.arraycopy(id, 0, key, PREFIX.length, id.length);
        return key;
    }

    private static byte[] count(long live) {
        return new ByteWriter(10).writeVarLong(live).toByteArray();
    }

    private static long decodeCount(byte[] bytes) {
        return bytes == null ? 0 : new ByteReader(bytes).readVarLong();
    }
}
