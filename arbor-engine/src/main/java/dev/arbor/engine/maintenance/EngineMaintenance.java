package dev.arbor.engine.maintenance;

import dev.arbor.engine.store.DocSpaces;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Maintenance;
import dev.arbor.api.PurgeResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.rev.Rev;
import dev.arbor.engine.doc.DocWrites;
import dev.arbor.engine.doc.DocumentReads;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.engine.store.DocJson;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.write.DatabaseWriter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Maintenance} of an engine database: compaction, purge, the {@code _security} object and the revision
 * limit.
 *
 * <p>Threads: callable from any thread. Reads ({@link #getSecurity}, {@link #revsLimit}) run on the caller's thread;
 * every change is a task of the {@link DatabaseWriter}, run on the thread holding its commit lock (compaction as an
 * exclusive task, with no other write in its commit), after which the store's own compaction runs on the caller's.
 */
public final class EngineMaintenance implements Maintenance {
    private final KvStore store;
    private final DatabaseWriter writer;
    private final DocumentReads reads;
    private final DocWrites writes;

    public EngineMaintenance(KvStore store, DatabaseWriter writer, DocumentReads reads, DocWrites writes) {
        this.store = store;
        this.writer = writer;
        this.reads = reads;
        this.writes = writes;
    }

    @Override
    public void compact() {
        writer.submitExclusive(ctx -> {
            writes.compact(ctx, store);
            return null;
        });
        store.compactStorage();
    }

    @Override
    public PurgeResult purge(Map<String, List<String>> revsByDocId) {
        Map<String, List<Rev>> parsed = new LinkedHashMap<>();
        revsByDocId.keySet().forEach(reads::checkId);
        revsByDocId.forEach((id, revs) -> parsed.put(id, revs.stream().map(Rev::parse).toList()));
        return writer.submit(ctx -> {
            Map<String, List<String>> purged = new LinkedHashMap<>();
            parsed.forEach((id, revs) -> purged.put(id, DocWrites.purge(ctx, id, revs)));
            return new PurgeResult(ctx.state().purgeSeq(), purged);
        });
    }

    @Override
    public ObjectNode getSecurity() {
        return security(store);
    }

    /** The {@code _security} object as {@code reader} holds it; empty when none was set. */
    public static ObjectNode security(KvReader reader) {
        byte[] bytes = reader.get(DocSpaces.META, DatabaseKeys.META_SECURITY);
        return bytes == null ? Json.object() : DocJson.body(bytes);
    }

    @Override
    public void setSecurity(ObjectNode security) {
        for (String section : List.of("admins", "members")) {
            if (security.has(section) && !security.get(section).isObject()) {
                throw new ArborException.BadRequest("bad_request", "The security object's " + section + " must be an object");
            }
        }
        byte[] bytes = Json.bytes(security);
        writer.submit(ctx -> {
            ctx.put(DocSpaces.META, DatabaseKeys.META_SECURITY, bytes);
            return null;
        });
    }

    @Override
    public int revsLimit() {
        return writer.state().revsLimit();
    }

    @Override
    public void setRevsLimit(int limit) {
        if (limit < 1) {
            throw new ArborException.BadRequest("bad_request", "revs_limit must be a positive integer");
        }
        writer.submit(ctx -> {
            ctx.state(ctx.state().withRevsLimit(limit));
            return null;
        });
    }
}
