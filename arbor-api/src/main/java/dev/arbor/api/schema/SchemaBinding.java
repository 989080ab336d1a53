package dev.arbor.api.schema;

import dev.arbor.api.Database;
import dev.arbor.api.hook.DatabaseHook;
import dev.arbor.api.view.typed.TypedView;

import java.util.List;

/**
 * What the embedded facade ({@code Arbor.open(dir, schema)}) needs of a schema, so the engine can open a database
 * for one without depending on the module that defines schemas (arbor-collections' {@code Schema}).
 *
 * @param <D> the typed face of a database under this schema
 */
public interface SchemaBinding<D> {

    /** The schema's name, recorded in each database opened for it. */
    String name();

    /** Hooks the storage must run on the schema's databases; registered when the storage opens. */
    List<DatabaseHook> hooks();

    /**
     * Typed views the storage must register on the schema's databases as they open, before their first write (so
     * eager and unique views see every write). None by default.
     */
    default List<TypedView<?, ?>> views() {
        return List.of();
    }

    /**
     * Collection name → the name of the encryption key its documents are sealed with in an encrypted storage
     * (BonsaiDb's {@code Collection::encryption_key}). None by default: documents take their database's key.
     */
    default java.util.Map<String, String> collectionEncryptionKeys() {
        return java.util.Map.of();
    }

    /** The typed face of {@code database}; refuses a database recorded under another schema. */
    D bind(Database database);
}
