package dev.arbor.engine.local;

import dev.arbor.engine.store.DocSpaces;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.DocResult;
import dev.arbor.api.LocalDocuments;
import dev.arbor.core.doc.DocumentParser;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.engine.store.IdRange;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.write.DatabaseWriter;

/**
 * The {@link LocalDocuments} of an engine database. Threads: reads run on the caller's thread against the store (a
 * single get, or one snapshot for {@code _local_docs}); writes are tasks of the database's {@link DatabaseWriter},
 * run on whichever thread holds its commit lock ({@link LocalDocs} stages them there).
 */
public final class EngineLocalDocuments implements LocalDocuments {
    private final KvStore store;
    private final DatabaseWriter writer;

    public EngineLocalDocuments(KvStore store, DatabaseWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    @Override
    public ObjectNode getLocal(String id) {
        return LocalDocs.get(store, id);
    }

    @Override
    public DocResult.Ok putLocal(ObjectNode doc) {
        return writer.submit(ctx -> LocalDocs.put(ctx, doc));
    }

    @Override
    public void removeLocal(String id, String rev) {
        // The rev is not checked, as CouchDB checks none for a local doc (see LocalDocs.put).
        writer.submit(ctx -> LocalDocs.remove(ctx, id));
    }

    @Override
    public void localDocs(AllDocsOptions options, AllDocsSink sink) {
        try (KvSnapshot snapshot = store.snapshot()) {
            String prefix = DocumentParser.LOCAL_PREFIX;
            String start = options.key() != null ? options.key() : options.startkey();
            String end = options.key() != null ? options.key() : options.endkey();
            IdRange range = IdRange.of(start == null ? (options.descending() ? null : prefix) : LocalDocs.normalize(start),
                    end == null ? (options.descending() ? prefix : null) : LocalDocs.normalize(end),
                    options.key() != null || options.inclusiveEnd(), options.descending());
            sink.begin(-1, options.skip(), null);
            long skipped = 0;
            long sent = 0;
            try (KvCursor cursor = snapshot.scan(DocSpaces.LOCAL, range.from(), range.to(), options.descending())) {
                while ((options.limit() < 0 || sent < options.limit()) && cursor.next()) {
                    if (skipped < options.skip()) {
                        skipped++;
                        continue;
                    }
                    String id = DatabaseKeys.docId(cursor.key());
                    LocalDocs.Stored stored = LocalDocs.Stored.decode(cursor.value());
                    sink.row(new AllDocsRow(id, id, "0-" + stored.rev(), false,
                            options.includeDocs() ? stored.toJson(id) : null, null));
                    sent++;
                }
            }
        }
    }
}
