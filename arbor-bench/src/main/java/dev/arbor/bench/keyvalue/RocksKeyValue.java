package dev.arbor.bench.keyvalue;

import dev.arbor.ArborOptions;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The ceiling for a key-value store on RocksDB: the key's UTF-8 bytes to the value's 8 bytes, no namespaces, types
 * or expiry. An increment is a get and a put under one of {@value #STRIPES} striped locks, the least an application
 * needs for an atomic increment that returns the new value. Immediate: every put {@code sync=true}; lazy: no sync
 * (RocksDB's WAL reaches the OS on each write and the disk when the OS flushes it).
 */
public final class RocksKeyValue implements KeyValueTarget {
    private static final int STRIPES = 64;

    static {
        RocksDB.loadLibrary();
    }

    private final LRUCache cache;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final Object[] stripes = new Object[STRIPES];

    public RocksKeyValue(Path dir, boolean sync) {
        cache = new LRUCache(ArborOptions.DEFAULT.blockCacheBytes());
        options = new Options().setCreateIfMissing(true).setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
        writeOptions = new WriteOptions().setSync(sync);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void set(String key, long value) {
        try {
            db.put(writeOptions, bytes(key), ByteBuffer.allocate(Long.BYTES).putLong(value).array());
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public OptionalLong get(String key) {
        try {
            byte[] value = db.get(bytes(key));
            return value == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(value).getLong());
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long increment(String key) {
        synchronized (stripes[Math.floorMod(key.hashCode(), STRIPES)]) {
            long next = get(key).orElse(0) + 1;
            set(key, next);
            return next;
        }
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        db.close();
        writeOptions.close();
        options.close();
        cache.close();
    }
}
