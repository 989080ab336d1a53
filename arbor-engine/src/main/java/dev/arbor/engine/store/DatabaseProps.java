package dev.arbor.engine.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.KvStore;

/**
 * What a database is created with and keeps for life (CouchDB's {@code props}): today only whether it is
 * partitioned. Stored as JSON under {@code META "props"} so later props need no format change; a database
 * without the key (every database made before props existed) has none set.
 */
public record DatabaseProps(boolean partitioned) {
    public static final DatabaseProps NONE = new DatabaseProps(false);

    public static DatabaseProps read(KvReader reader) {
        byte[] bytes = reader.get(DocSpaces.META, DatabaseKeys.META_PROPS);
        if (bytes == null) {
            return NONE;
        }
        return new DatabaseProps(DocJson.body(bytes).path("partitioned").asBoolean(false));
    }

    /** Records the props of a database being created, before anything else is written to it. */
    public void writeTo(KvStore store) {
        ObjectNode json = Json.object();
        if (partitioned) {
            json.put("partitioned", true);
        }
        try (KvBatch batch = store.newBatch()) {
            batch.put(DocSpaces.META, DatabaseKeys.META_PROPS, Json.bytes(json));
            store.commit(batch, true);
        }
    }
}
