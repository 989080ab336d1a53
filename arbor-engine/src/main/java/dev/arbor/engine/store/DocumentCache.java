package dev.arbor.engine.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Stored document states ({@code DOCS} values: sequence, revision tree, winning body) kept on the Java heap for
 * reads that know which version of a document they need.
 *
 * <p>Why it is safe without any coordination with writers: every change of a document gives it a new sequence,
 * so "document {@code id} at sequence {@code seq}" names one stored state forever (compaction only marks
 * non-leaf bodies unavailable, which no cached read looks at). An entry is therefore a fact, never stale: any
 * thread may add what it read from any snapshot, and a reader gets an entry only by naming the sequence it
 * expects, which a Mango index row records (the version of the document the row was built from). A reader
 * that does not know the sequence does not use the cache.
 *
 * <p>Why it exists: a Mango query over an index reads thousands of documents by id (W7: ~10,000 per
 * all-results query). A RocksDB point read costs 1–3 µs through JNI, more while the documents are still in a
 * large memtable right after a bulk load; a hit here costs a hash lookup.
 *
 * <p>One cache per process (like {@link dev.arbor.engine.mango.QueryWorkers}'s threads), its size bounded by the
 * bytes it holds: a thirty-second of the heap, between 4 MiB and 256 MiB. Databases share it; each has its own
 * {@link Scope}, so a database deleted and created again under the same name never sees the old one's entries.
 * Thread-safe; Caffeine decides what to evict (frequency and recency, W-TinyLFU).
 */
public final class DocumentCache {
    private static final DocumentCache SHARED = new DocumentCache(defaultBytes());

    /** A cached state: its sequence, decoded once, and the stored bytes. */
    private record Entry(long seq, byte[] stored) {}

    private record Key(long database, String id) {}

    /** Per-entry bytes beyond the stored value and id: the key, entry, array headers and the cache's node. */
    private static final int ENTRY_OVERHEAD = 120;

    private final Cache<Key, Entry> entries;
    private final AtomicLong databases = new AtomicLong();

    DocumentCache(long maxBytes) {
        entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, Entry entry) -> entry.stored().length + 2 * key.id().length() + ENTRY_OVERHEAD)
                // Evictions run on the thread that caused them rather than the common pool: the query that
                // fills the cache pays for it, and nothing outlives a database's work.
                .executor(Runnable::run)
                .build();
    }

    private static long defaultBytes() {
        long heap = Runtime.getRuntime().maxMemory();
        return Math.max(4L << 20, Math.min(256L << 20, heap / 32));
    }

    /** The process-wide cache. */
    public static DocumentCache shared() {
        return SHARED;
    }

    /** A new database's view of the cache: keys no other database (nor an earlier one of the same name) uses. */
    public Scope scope() {
        return new Scope(databases.incrementAndGet());
    }

    /** One database's entries. */
    public final class Scope {
        private final long database;

        private Scope(long database) {
            this.database = database;
        }

        /** The stored state of {@code id} at sequence {@code seq}, or null when not cached. */
        byte[] get(String id, long seq) {
            Entry entry = entries.getIfPresent(new Key(database, id));
            return entry != null && entry.seq() == seq ? entry.stored() : null;
        }

        /** Remembers a stored state of {@code id} as read from any snapshot. */
        void put(String id, byte[] stored) {
            entries.put(new Key(database, id), new Entry(DocRecord.seqOf(stored), stored));
        }
    }
}
