package dev.arbor.bench.records;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.collection.Collection;
import dev.arbor.collection.CollectionDatabase;
import dev.arbor.collection.CollectionHandle;
import dev.arbor.collection.Schema;
import dev.arbor.collection.Transaction;

import java.nio.file.Path;
import java.util.List;

/** Arbor's typed collections as an application uses them: a schema with one collection of {@code long} keys. */
public final class ArborRecordStore implements RecordStore {
    static final Collection<BenchRecord, Long> RECORDS = Collection.of("record", BenchRecord.class);
    static final Schema SCHEMA = Schema.builder("bench").collection(RECORDS).build();

    private final CollectionDatabase db;
    private final CollectionHandle<BenchRecord, Long> records;

    public ArborRecordStore(Path dir, ArborOptions.Durability durability) {
        this.db = Arbor.open(dir, "bench", ArborOptions.DEFAULT.durability(durability), SCHEMA);
        this.records = db.collection(RECORDS);
    }

    @Override
    public int pushAll(List<BenchRecord> batch) {
        Transaction tx = db.transaction();
        batch.forEach(r -> tx.push(RECORDS, r));
        return tx.commit().size();
    }

    @Override
    public int insertAll(long firstId, List<BenchRecord> batch) {
        Transaction tx = db.transaction();
        for (int i = 0; i < batch.size(); i++) {
            tx.insert(RECORDS, firstId + i, batch.get(i));
        }
        return tx.commit().size();
    }

    @Override
    public void push(BenchRecord record) {
        records.push(record);
    }

    @Override
    public void insert(long id, BenchRecord record) {
        records.insert(id, record);
    }

    @Override
    public boolean get(long id) {
        return records.get(id).isPresent();
    }

    @Override
    public void close() {
        db.close();
    }
}
