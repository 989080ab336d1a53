package dev.arbor.bench.keyvalue;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.options.KeyValueOptions;
import dev.arbor.api.Database;
import dev.arbor.api.keyvalue.KeyValuePersistence;
import dev.arbor.api.keyvalue.KeyValueStore;

import java.nio.file.Path;
import java.util.OptionalLong;

/** Arbor's key-value store through {@link Database#keyValue()}, with the persistence mode under test. */
public final class ArborKeyValue implements KeyValueTarget {
    private final Database db;
    private final KeyValueStore kv;

    public ArborKeyValue(Path dir, ArborOptions.Durability durability, KeyValuePersistence persistence) {
        this.db = Arbor.open(dir, "bench", ArborOptions.DEFAULT.durability(durability)
                .keyValue(KeyValueOptions.DEFAULT.persistence(persistence)));
        this.kv = db.keyValue().orElseThrow();
    }

    @Override
    public void set(String key, long value) {
        kv.set(key, value);
    }

    @Override
    public OptionalLong get(String key) {
        return kv.get(key, Long.class).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    @Override
    public long increment(String key) {
        return kv.increment(key, 1);
    }

    @Override
    public void close() {
        db.close();
    }
}
