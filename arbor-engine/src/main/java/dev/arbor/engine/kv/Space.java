package dev.arbor.engine.kv;

/**
 * The key spaces of one database: a RocksDB column family each (an ordered map each in memory).
 * Splitting by kind lets point-lookup spaces carry bloom filters and keeps every scan one contiguous range.
 */
public enum Space {
    /** doc id (UTF-8) → {@code DocRecord}: revision tree, current seq, winning revision's body. */
    DOCS(true),
    /** (doc id, rev) → body of a non-winning revision. */
    REVS(true),
    /** seq (8 bytes, big-endian) → {@code SeqEntry}: doc id, deleted, leaf revs. One entry per doc, at its latest seq. */
    SEQ(false),
    /** local doc id → local revision number and body. */
    LOCAL(true),
    /** (attachment id, chunk index) → up to one chunk of attachment data. */
    ATT_DATA(false),
    /** attachment digest → attachment id and length: the content-addressed index. */
    ATT_INDEX(true),
    /** counters and settings: update_seq, doc counts, purge_seq, security, revs_limit; Mango index checkpoints. */
    META(false),
    /**
     * Mango index rows: (index signature, {@code KeyEncoding} of the indexed values, doc id) → nothing. One
     * contiguous range per index; a query reads one range per equality prefix or range.
     */
    MANGO_ROWS(false),
    /** (index signature, doc id) → that document's row key in {@link #MANGO_ROWS}, so an update can drop the old row. */
    MANGO_DOCS(true),
    /**
     * View rows: (design doc signature, view ordinal, {@code KeyEncoding} of (key, doc id), 0x00, emit rank) →
     * {@code [key, value, doc id]} as JSON. One contiguous range per view, in CouchDB's row order.
     */
    VIEW_ROWS(false),
    /** (design doc signature, doc id) → the doc's row keys in {@link #VIEW_ROWS}, so an update can drop stale rows. */
    VIEW_DOCS(true),
    /**
     * Cached reductions: (design doc signature, view ordinal, {@code KeyEncoding} of key) → {@code [key, rows,
     * reduction]} for every distinct key, so grouped and ranged reduce queries combine per-key reductions
     * instead of re-reducing every row.
     */
    VIEW_REDUCE(false),
    /** the key-value store: (namespace, key) → entry, and its expiration index (see {@code engine.keyvalue.KeyLayout}). */
    KV(true);

    private final boolean pointLookups;

    Space(boolean pointLookups) {
        this.pointLookups = pointLookups;
    }

    /** True where reads are mostly by exact key, so a bloom filter pays for itself. */
    public boolean pointLookups() {
        return pointLookups;
    }
}
