package dev.arbor.bench.records;

import java.util.List;

/**
 * What C1 asks of a store of typed records with integer keys, once per operation, so Arbor's collections and the
 * SQLite table an application would write instead are driven by the same loop ({@link RecordPass}). Serialising a
 * record and deserialising it on a read are the store's work, inside the clock.
 */
public interface RecordStore extends AutoCloseable {

    /** Writes the records in one transaction, each under a key the store assigns; returns how many were written. */
    int pushAll(List<BenchRecord> records);

    /** Writes {@code records.get(i)} under {@code firstId + i}, all in one transaction; returns how many were written. */
    int insertAll(long firstId, List<BenchRecord> records);

    /** Writes one record under a key the store assigns, in its own commit. */
    void push(BenchRecord record);

    /** Writes one record under {@code id}, in its own commit. */
    void insert(long id, BenchRecord record);

    /** Reads the record of {@code id} back as a {@link BenchRecord}; true when found. */
    boolean get(long id);

    @Override
    void close();
}
