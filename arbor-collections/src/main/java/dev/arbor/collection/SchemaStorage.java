package dev.arbor.collection;

import dev.arbor.api.Storage;
import dev.arbor.core.error.ArborException;

import java.util.List;

/**
 * Several databases, each under one of the registered schemas: BonsaiDb's {@code Storage} with
 * {@code with_schema}. Open the underlying storage with the schemas' hooks registered
 * ({@code Arbor.storage(dir, options, schemas)}), then wrap it here with the same schemas. Thread-safe;
 * closing it closes the storage.
 */
public final class SchemaStorage implements AutoCloseable {
    private final Storage storage;
    private final List<Schema> schemas;

    private SchemaStorage(Storage storage, List<Schema> schemas) {
        this.storage = storage;
        this.schemas = List.copyOf(schemas);
    }

    public static SchemaStorage of(Storage storage, List<Schema> schemas) {
        return new SchemaStorage(storage, schemas);
    }

    public Storage storage() {
        return storage;
    }

    public List<Schema> schemas() {
        return schemas;
    }

    /** Creates database {@code name} under {@code schema}; {@code file_exists} if it exists. */
    public CollectionDatabase createDatabase(String name, Schema schema) {
        requireRegistered(schema);
        return schema.bind(storage.createDatabase(name));
    }

    /** Opens database {@code name}, which must have been created under {@code schema} ({@code schema_mismatch}). */
    public CollectionDatabase database(String name, Schema schema) {
        requireRegistered(schema);
        return schema.bind(storage.database(name));
    }

    /** Opens database {@code name} under {@code schema}, creating it if needed (BonsaiDb's {@code only_if_needed}). */
    public CollectionDatabase databaseOrCreate(String name, Schema schema) {
        requireRegistered(schema);
        return schema.bind(storage.databaseOrCreate(name));
    }

    /** Deletes a database and everything in it; the storage runs the on-destroy hooks. */
    public void deleteDatabase(String name) {
        storage.deleteDatabase(name);
    }

    private void requireRegistered(Schema schema) {
        if (!schemas.contains(schema)) {
            throw new ArborException.BadRequest("schema_not_registered", schema + " is not registered in this storage");
        }
    }

    @Override
    public void close() {
        storage.close();
    }
}
