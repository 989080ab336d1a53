package dev.arbor.collection;

import dev.arbor.api.Database;
import dev.arbor.core.error.ArborException;

/**
 * A database seen through its {@link Schema}: typed access to its collections and transactions across them. The
 * underlying {@link Database} stays available ({@link #database()}) for everything else (changes, replication,
 * key-value, pub/sub). Thread-safe. Closing it closes the database.
 */
public final class CollectionDatabase implements AutoCloseable {
    private final Database database;
    private final Schema schema;
    private final IdSequences sequences;

    CollectionDatabase(Database database, Schema schema) {
        this.database = database;
        this.schema = schema;
        this.sequences = new IdSequences(database);
    }

    public Database database() {
        return database;
    }

    public Schema schema() {
        return schema;
    }

    /** The collection's records in this database; {@code bad_request} for a collection not in the schema. */
    public <T, K> CollectionHandle<T, K> collection(Collection<T, K> collection) {
        requireInSchema(collection);
        return new CollectionHandle<>(database, collection, sequences);
    }

    /** A new, empty transaction on this database. */
    public Transaction transaction() {
        return new Transaction(this);
    }

    IdSequences sequences() {
        return sequences;
    }

    void requireInSchema(Collection<?, ?> collection) {
        if (!schema.contains(collection)) {
            throw new ArborException.BadRequest("collection_not_in_schema",
                    collection + " is not part of schema " + schema.name());
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
