package dev.arbor.engine.db;

import dev.arbor.options.KeyValueOptions;
import dev.arbor.options.WriteLimits;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.keyvalue.KeyValueSpaces;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.AtomicWrite;
import dev.arbor.api.AtomicWrites;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.CommitEvent;
import dev.arbor.api.Database;
import dev.arbor.api.DbInfo;
import dev.arbor.api.DocResult;
import dev.arbor.api.DocumentJson;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.Partition;
import dev.arbor.api.PurgeResult;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Subscription;
import dev.arbor.api.TypedViews;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.FindSink;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.api.hook.DatabaseHook;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewSink;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.core.doc.Partitions;
import dev.arbor.core.error.ArborException;
import dev.arbor.engine.attachment.EngineAttachments;
import dev.arbor.engine.changes.EngineChanges;
import dev.arbor.engine.doc.DocWrites;
import dev.arbor.engine.doc.DocumentReads;
import dev.arbor.engine.doc.EngineDocuments;
import dev.arbor.engine.keyvalue.KeyValueService;
import dev.arbor.engine.keyvalue.KeyValueWrites;
import dev.arbor.engine.index.IndexUpdater;
import dev.arbor.engine.kv.ClosedDatabase;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.engine.local.EngineLocalDocuments;
import dev.arbor.engine.maintenance.EngineMaintenance;
import dev.arbor.engine.mango.MangoQueries;
import dev.arbor.engine.pubsub.EnginePubSub;
import dev.arbor.engine.store.AttachmentStore;
import dev.arbor.engine.store.DatabaseProps;
import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.validate.DocValidation;
import dev.arbor.engine.view.EngineViews;
import dev.arbor.engine.view.JavaScriptViews;
import dev.arbor.engine.view.TypedViewRegistry;
import dev.arbor.engine.write.DatabaseWriter;
import dev.arbor.engine.write.WriteLimitCheck;
import dev.arbor.js.JsOptions;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A database of the embedded engine, on any {@link KvStore} (RocksDB or memory): the root that builds its writer and
 * its facets and hands every call to the facet that serves it. Documents are {@link EngineDocuments}' (reads in
 * {@link DocumentReads}), local documents {@link EngineLocalDocuments}', attachments {@link EngineAttachments}', the
 * changes feed {@link EngineChanges}', Mango {@link MangoQueries}', views {@link EngineViews}' and maintenance
 * {@link EngineMaintenance}'.
 *
 * <p>Threads: reads run on the caller's thread against a store snapshot (or a single get, which is
 * its own snapshot) and take no lock. Writes go through the {@link DatabaseWriter}: one caller at a
 * time holds its commit lock and group-commits every write queued so far, its own and the others'.
 * Commit listeners run on that committing thread.
 */
public final class EngineDatabase implements Database, AtomicWrites, TypedViews {
    private final String name;
    private final KvStore store;
    private final DatabaseWriter writer;
    private final Runnable onClose;
    private final KeyValueOptions keyValueOptions;
    /** Created on the first {@link #keyValue()}, so databases that never use it start no thread. Guarded by this. */
    private KeyValueService keyValues;
    private final EnginePubSub pubSub = new EnginePubSub();
    private final boolean partitioned;
    private final DocumentReads reads;
    private final EngineDocuments documents;
    private final EngineLocalDocuments local;
    private final EngineAttachments attachments;
    private final EngineChanges changes;
    /** Keeps every secondary index of the database, whatever its kind (Mango's, views'). */
    private final IndexUpdater indexes;
    private final MangoQueries mango;
    private final EngineViews views;
    private final EngineMaintenance maintenance;
    /** Stateless: each live query holds its own state and commit listener. */
    private final dev.arbor.api.live.LiveQueries liveQueries = dev.arbor.api.live.LiveQueries.over(this);
    private volatile boolean closed;
    private volatile boolean deleted;

    /**
     * @param sync    sync each commit to disk before acknowledging it
     * @param onClose run after the database has closed its store (the storage forgets it)
     */
    public EngineDatabase(String name, KvStore store, boolean sync, Runnable onClose) {
        this(name, store, sync, KeyValueOptions.DEFAULT, onClose);
    }

    /** @param keyValueOptions how {@link #keyValue()} persists and expires its keys */
    public EngineDatabase(String name, KvStore store, boolean sync, KeyValueOptions keyValueOptions, Runnable onClose) {
        this(name, store, sync, keyValueOptions, WriteLimits.DEFAULT, onClose);
    }

    /** @param limits the largest document and attachment a write may carry */
    public EngineDatabase(String name, KvStore store, boolean sync, KeyValueOptions keyValueOptions, WriteLimits limits,
                          Runnable onClose) {
        this(name, store, sync, keyValueOptions, limits, JsOptions.defaults(), onClose);
    }

    /**
     * @param designFunctions how the JavaScript of design documents (views, validate_doc_update, filters) runs: its
     *                        time limit and memory budget
     */
    public EngineDatabase(String name, KvStore store, boolean sync, KeyValueOptions keyValueOptions, WriteLimits limits,
                          JsOptions designFunctions, Runnable onClose) {
        this.name = name;
        this.keyValueOptions = keyValueOptions;
        this.store = store;
        this.onClose = onClose;
        AttachmentStore attachmentData = new AttachmentStore(store);
        DocWrites writes = new DocWrites(attachmentData);
        DbState initial = DbState.decode(store.get(DocSpaces.META, DatabaseKeys.META_STATE));
        DocValidation validation = new DocValidation(name, store, () -> EngineMaintenance.security(store), designFunctions);
        this.changes = new EngineChanges(name, store, pubSub, this::get, designFunctions);
        this.writer = new DatabaseWriter(store, initial, sync, changes::committed, validation::designDocumentsChanged);
        this.partitioned = DatabaseProps.read(store).partitioned();
        this.indexes = new IndexUpdater(store);
        JavaScriptViews javaScriptViews = new JavaScriptViews(store, indexes, designFunctions, partitioned);
        TypedViewRegistry typedViews = new TypedViewRegistry(store, indexes, this, task -> writer.submitExclusive(ctx -> {
            task.run();
            return null;
        }));
        this.writer.commitIndexer(typedViews);
        this.mango = new MangoQueries(this, store, indexes, writer::state, partitioned);
        this.views = new EngineViews(javaScriptViews, typedViews, mango::cleanup);
        this.reads = new DocumentReads(name, store, partitioned);
        this.local = new EngineLocalDocuments(store, writer);
        WriteLimitCheck limitCheck = new WriteLimitCheck(limits);
        this.documents = new EngineDocuments(name, store, writer, reads, writes, attachmentData, local, validation, limitCheck);
        this.attachments = new EngineAttachments(store, writer, reads, writes, attachmentData, documents, validation, limitCheck);
        this.maintenance = new EngineMaintenance(store, writer, reads, writes);
    }

    /**
     * The keeper of this database's secondary indexes: a new kind of index (full-text, vector) is kept by handing
     * its {@link dev.arbor.engine.index.Index}es to it, with no change to the framework.
     */
    public IndexUpdater indexUpdater() {
        return indexes;
    }

    /** Registers the hooks every document write of this database runs (see {@link DatabaseHook}); called at open. */
    public void useHooks(List<DatabaseHook> databaseHooks) {
        documents.useHooks(databaseHooks);
    }

    @Override
    public Optional<dev.arbor.api.live.LiveQueries> liveQueries() {
        return Optional.of(liveQueries);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DbInfo info() {
        DbState s = writer.state();
        return new DbInfo(name, s.docCount(), s.docDelCount(), s.updateSeq(), s.purgeSeq(),
                store.sizeOnDisk(), store.liveDataSize(), s.externalSize(), false, partitioned);
    }

    @Override
    public Partition partition(String name) {
        Partitions.validatePartition(name);
        if (!partitioned) {
            throw new ArborException.BadRequest("bad_request", "database is not partitioned");
        }
        return new EnginePartition(this, name, reads, mango, views);
    }

    // ---- facets: one line each -----------------------------------------------------------------

    @Override
    public ObjectNode get(String id, GetOptions options) { return documents.get(id, options); }

    @Override
    public DocumentJson getJson(String id, GetOptions options) { return documents.getJson(id, options); }

    @Override
    public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) { return documents.getOpenRevs(id, revs, options); }

    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) { documents.allDocs(options, sink); }

    @Override
    public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) { return documents.revsDiff(revs); }

    @Override
    public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) { return documents.bulkGet(requests, options); }

    @Override
    public DocResult.Ok put(ObjectNode doc) { return documents.put(doc); }

    @Override
    public DocResult.Ok post(ObjectNode doc) { return documents.post(doc); }

    @Override
    public DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following) {
        return documents.putWithAttachments(doc, newEdits, following);
    }

    @Override
    public DocResult.Ok remove(String id, String rev) { return documents.remove(id, rev); }

    @Override
    public List<DocResult> bulkDocs(List<ObjectNode> docs, boolean newEdits) { return documents.bulkDocs(docs, newEdits); }

    @Override
    public List<DocResult.Ok> bulkDocsAllOrNothing(List<AtomicWrite> writes) { return documents.bulkDocsAllOrNothing(writes); }

    @Override
    public ObjectNode getLocal(String id) { return local.getLocal(id); }

    @Override
    public DocResult.Ok putLocal(ObjectNode doc) { return local.putLocal(doc); }

    @Override
    public void removeLocal(String id, String rev) { local.removeLocal(id, rev); }

    @Override
    public void localDocs(AllDocsOptions options, AllDocsSink sink) { local.localDocs(options, sink); }

    @Override
    public AttachmentStream getAttachment(String docId, String name, String rev) { return attachments.getAttachment(docId, name, rev); }

    @Override
    public DocResult.Ok putAttachment(String docId, String rev, String name, String contentType, InputStream data) {
        return attachments.putAttachment(docId, rev, name, contentType, data);
    }

    @Override
    public DocResult.Ok removeAttachment(String docId, String rev, String name) { return attachments.removeAttachment(docId, rev, name); }

    @Override
    public ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows) { return changes.changes(options, rows); }

    @Override
    public Subscription onCommit(Consumer<CommitEvent> listener) { return changes.onCommit(listener); }

    @Override
    public FindResult find(FindRequest request) { return mango.find(request); }

    @Override
    public void find(FindRequest request, FindSink sink) { mango.find(request, sink); }

    @Override
    public Explain explain(FindRequest request) { return mango.explain(request); }

    @Override
    public IndexResult createIndex(IndexDefinition definition) { return mango.createIndex(definition); }

    @Override
    public List<IndexInfo> indexes() { return mango.indexes(); }

    @Override
    public void deleteIndex(String ddoc, String name) { mango.deleteIndex(ddoc, name); }

    @Override
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) { views.query(ddoc, view, query, sink); }
    @Override
    public void reduceOver(String ddoc, String view, ViewQuery query, java.util.function.Predicate<String> emittedBy,
                           ViewSink sink) {
        views.reduceOver(ddoc, view, query, emittedBy, sink);
    }

    @Override
    public ViewIndexInfo viewInfo(String ddoc) { return views.viewInfo(ddoc); }

    @Override
    public void viewCleanup() { views.viewCleanup(); }

    @Override
    public <K, V> ViewHandle<K, V> view(TypedView<K, V> view) { return views.view(view); }

    /** {@link #view(TypedView)}; with {@code verify}, the index is first checked and rebuilt when it disagrees with the log. */
    public <K, V> ViewHandle<K, V> view(TypedView<K, V> view, boolean verify) { return views.view(view, verify); }

    @Override
    public List<ViewHandle<?, ?>> views(List<? extends TypedView<?, ?>> views) { return this.views.views(views); }

    @Override
    public Optional<ViewHandle<?, ?>> registered(String name) { return views.registered(name); }

    /** Registers typed views together like {@link #views(List)}; with {@code verify}, as {@link #view(TypedView, boolean)}. */
    public List<ViewHandle<?, ?>> views(List<? extends TypedView<?, ?>> views, boolean verify) { return this.views.views(views, verify); }

    /**
     * Checks every JavaScript design document's index and clears each that disagrees with the log, so its next query
     * rebuilds it ({@code ArborOptions.verifyViews} runs this on open). Returns the ids of the design documents cleared.
     */
    public List<String> verifyDesignViews() { return views.verifyDesignViews(); }

    @Override
    public void compact() { maintenance.compact(); }

    @Override
    public PurgeResult purge(Map<String, List<String>> revsByDocId) { return maintenance.purge(revsByDocId); }

    @Override
    public ObjectNode getSecurity() { return maintenance.getSecurity(); }

    @Override
    public void setSecurity(ObjectNode security) { maintenance.setSecurity(security); }

    @Override
    public int revsLimit() { return maintenance.revsLimit(); }

    @Override
    public void setRevsLimit(int limit) { maintenance.setRevsLimit(limit); }

    // ---- optional facets: atomic writes, typed views, key-value store and pub/sub ---------------

    @Override
    public Optional<AtomicWrites> atomicWrites() {
        return Optional.of(this);
    }

    @Override
    public Optional<TypedViews> typedViews() {
        return Optional.of(this);
    }

    @Override
    public Optional<KeyValueStore> keyValue() {
        return Optional.of(keyValueStore());
    }

    /** The key-value store, created on first use. */
    public synchronized KeyValueStore keyValueStore() {
        if (closed) {
            throw ClosedDatabase.error(deleted);
        }
        if (keyValues == null) {
            keyValues = new KeyValueService(name, store, this::commitKeyValues, keyValueOptions);
        }
        return keyValues.store();
    }

    /** The key-value service, for maintenance and tests (null until {@link #keyValueStore()} was first called). */
    public synchronized KeyValueService keyValueService() {
        return keyValues;
    }

    /** Key-value operations are tasks of the same writer as documents: atomic, and ordered with document writes. */
    private <R> R commitKeyValues(Function<KeyValueWrites, R> work) {
        return writer.submit(ctx -> work.apply(new KeyValueWrites() {
            @Override
            public byte[] get(byte[] key) {
                return ctx.get(KeyValueSpaces.KV, key);
            }

            @Override
            public void put(byte[] key, byte[] value) {
                ctx.put(KeyValueSpaces.KV, key, value);
            }

            @Override
            public void delete(byte[] key) {
                ctx.delete(KeyValueSpaces.KV, key);
            }
        }));
    }

    @Override
    public Optional<PubSub> pubSub() {
        return Optional.of(pubSub);
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    @Override
    public java.util.Optional<String> encryptionKey() {
        return java.util.Optional.ofNullable(dev.arbor.engine.encryption.StorageEncryption.keyOf(store));
    }

    /** The store this database keeps its spaces in: for the storage's maintenance (key rotation), not for features. */
    public KvStore kvStore() {
        return store;
    }

    /** Whether {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Called by the storage just before it closes a database it is deleting: requests still holding this object
     * then get 404 "Database does not exist." from every layer, as if they had come a moment later, instead of
     * an internal "database is closed".
     */
    public void markDeleted() {
        deleted = true;
        writer.markDeleted();
        store.markDeleted();
    }

    /** Finishes queued writes, then closes the store. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // Before the writer closes: a lazy key-value store commits what it still buffers through it.
        KeyValueService kv;
        synchronized (this) {
            kv = keyValues;
        }
        if (kv != null) {
            kv.close();
        }
        writer.close();
        store.close();
        onClose.run();
    }
}
