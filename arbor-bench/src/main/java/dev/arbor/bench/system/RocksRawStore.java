package dev.arbor.bench.system;

import dev.arbor.bench.workload.NotApplicable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import dev.arbor.ArborOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The ceiling for a document store on RocksDB: the doc id as key and the doc's JSON line as value,
 * written and read with no document logic (no parsing, no revisions, no index). Every write is
 * {@code sync=true}, so it is the ceiling for durable Arbor. It gets the same block cache size as
 * Arbor's default, so reads compare like for like.
 */
public final class RocksRawStore implements DocumentStore<RocksRawStore.KeyValue> {

    /** The bytes put for one doc. */
    public record KeyValue(byte[] key, byte[] value) {}

    private static final String ID_PREFIX = "{\"_id\":\"";

    static {
        RocksDB.loadLibrary();
    }

    private final LRUCache cache;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions sync = new WriteOptions().setSync(true);

    public RocksRawStore(Path dir) {
        cache = new LRUCache(ArborOptions.DEFAULT.blockCacheBytes());
        options = new Options().setCreateIfMissing(true)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key is the id, cut from the line's start (gen.js writes {@code _id} first); the value is the whole line. */
    @Override
    public KeyValue prepare(String jsonLine) {
        if (!jsonLine.startsWith(ID_PREFIX)) {
            throw new IllegalArgumentException("line does not start with _id: " + jsonLine);
        }
        String id = jsonLine.substring(ID_PREFIX.length(), jsonLine.indexOf('"', ID_PREFIX.length()));
        return new KeyValue(id.getBytes(StandardCharsets.UTF_8), jsonLine.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int bulkInsert(List<KeyValue> docs) {
        try (WriteBatch batch = new WriteBatch()) {
            for (KeyValue kv : docs) {
                batch.put(kv.key, kv.value);
            }
            db.write(sync, batch);
            return docs.size();
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void insert(KeyValue doc) {
        try {
            db.put(sync, doc.key, doc.value);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean read(String id) {
        try {
            return db.get(id.getBytes(StandardCharsets.UTF_8)) != null;
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A get and a sync put of the bytes read: the storage cost of an update without the document's edit. */
    @Override
    public void update(String id, int i) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] value = db.get(key);
            if (value == null) {
                throw new IllegalStateException("update of missing doc " + id);
            }
            db.put(sync, key, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long scanAllDocs() {
        long rows = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (it.value().length > 0) {
                    rows++;
                }
            }
        }
        return rows;
    }

    @Override
    public long changesSinceStart() {
        throw new NotApplicable("raw key-value store: no changes feed");
    }

    @Override
    public void close() {
        db.close();
        sync.close();
        options.close();
        cache.close();
    }
}
