package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.FindSink;
import dev.arbor.api.find.IndexBulkDeleteResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.api.view.ViewSink;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link Database} put together from facets: each facet served by the object given for it, the rest by a base
 * database. A permission guard or a test double that changes one capability implements that facet alone:
 *
 * <pre>{@code
 * Database guarded = ComposedDatabase.over(db).documents(new GuardedDocuments(db)).build();
 * }</pre>
 *
 * <p>The base database answers for the database itself (name, info, partitions) and is closed with it; the
 * optional capabilities are the base's unless replaced (a guard that cannot vouch for one offers none). Every method, the defaults too, goes to its facet's object, so a facet's own faster form of a
 * default (say {@link Documents#getJson}) is kept.
 */
public final class ComposedDatabase implements Database {
    private final Database base;
    private final Documents documents;
    private final LocalDocuments localDocuments;
    private final Attachments attachments;
    private final Changes changes;
    private final Mango mango;
    private final Views views;
    private final Maintenance maintenance;
    /** The optional capabilities given in place of the base's; null where the base's own is offered (asked for lazily,
     *  since asking may start a service, as the engine's key-value store does). */
    private final Optional<AtomicWrites> atomicWrites;
    private final Optional<TypedViews> typedViews;
    private final Optional<KeyValueStore> keyValue;
    private final Optional<PubSub> pubSub;

    private ComposedDatabase(Builder builder) {
        this.base = builder.base;
        this.documents = builder.documents;
        this.localDocuments = builder.localDocuments;
        this.attachments = builder.attachments;
        this.changes = builder.changes;
        this.mango = builder.mango;
        this.views = builder.views;
        this.maintenance = builder.maintenance;
        this.atomicWrites = builder.atomicWrites;
        this.typedViews = builder.typedViews;
        this.keyValue = builder.keyValue;
        this.pubSub = builder.pubSub;
    }

    /** A builder whose every facet is {@code base}'s until replaced. */
    public static Builder over(Database base) {
        return new Builder(base);
    }

    /** Which facets to serve with what. Not thread-safe; build once, then share the database. */
    public static final class Builder {
        private final Database base;
        private Documents documents;
        private LocalDocuments localDocuments;
        private Attachments attachments;
        private Changes changes;
        private Mango mango;
        private Views views;
        private Maintenance maintenance;
        private Optional<AtomicWrites> atomicWrites;
        private Optional<TypedViews> typedViews;
        private Optional<KeyValueStore> keyValue;
        private Optional<PubSub> pubSub;

        private Builder(Database base) {
            this.base = Objects.requireNonNull(base);
            this.documents = base;
            this.localDocuments = base;
            this.attachments = base;
            this.changes = base;
            this.mango = base;
            this.views = base;
            this.maintenance = base;
        }

        /** Serves the {@link Documents} facet with {@code documents} in place of the base database's. */
        public Builder documents(Documents documents) {
            this.documents = Objects.requireNonNull(documents);
            return this;
        }

        /** Serves the {@link LocalDocuments} facet with {@code localDocuments} in place of the base database's. */
        public Builder localDocuments(LocalDocuments localDocuments) {
            this.localDocuments = Objects.requireNonNull(localDocuments);
            return this;
        }

        /** Serves the {@link Attachments} facet with {@code attachments} in place of the base database's. */
        public Builder attachments(Attachments attachments) {
            this.attachments = Objects.requireNonNull(attachments);
            return this;
        }

        /** Serves the {@link Changes} facet with {@code changes} in place of the base database's. */
        public Builder changes(Changes changes) {
            this.changes = Objects.requireNonNull(changes);
            return this;
        }

        /** Serves the {@link Mango} facet with {@code mango} in place of the base database's. */
        public Builder mango(Mango mango) {
            this.mango = Objects.requireNonNull(mango);
            return this;
        }

        /** Serves the {@link Views} facet with {@code views} in place of the base database's. */
        public Builder views(Views views) {
            this.views = Objects.requireNonNull(views);
            return this;
        }

        /** Serves the {@link Maintenance} facet with {@code maintenance} in place of the base database's. */
        public Builder maintenance(Maintenance maintenance) {
            this.maintenance = Objects.requireNonNull(maintenance);
            return this;
        }

        /** Offers {@code atomicWrites} as the database's {@link AtomicWrites}, or nothing when empty, in place of the base database's. */
        public Builder atomicWrites(Optional<AtomicWrites> atomicWrites) {
            this.atomicWrites = Objects.requireNonNull(atomicWrites);
            return this;
        }

        /** Offers {@code typedViews} as the database's {@link TypedViews}, or nothing when empty, in place of the base database's. */
        public Builder typedViews(Optional<TypedViews> typedViews) {
            this.typedViews = Objects.requireNonNull(typedViews);
            return this;
        }

        /** Offers {@code keyValue} as the database's {@link KeyValueStore}, or nothing when empty, in place of the base database's. */
        public Builder keyValue(Optional<KeyValueStore> keyValue) {
            this.keyValue = Objects.requireNonNull(keyValue);
            return this;
        }

        /** Offers {@code pubSub} as the database's {@link PubSub}, or nothing when empty, in place of the base database's. */
        public Builder pubSub(Optional<PubSub> pubSub) {
            this.pubSub = Objects.requireNonNull(pubSub);
            return this;
        }

        public ComposedDatabase build() {
            return new ComposedDatabase(this);
        }
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public DbInfo info() {
        return base.info();
    }

    @Override
    public Partition partition(String name) {
        return base.partition(name);
    }

    @Override
    public Optional<AtomicWrites> atomicWrites() {
        return atomicWrites != null ? atomicWrites : base.atomicWrites();
    }

    @Override
    public Optional<TypedViews> typedViews() {
        return typedViews != null ? typedViews : base.typedViews();
    }

    @Override
    public Optional<KeyValueStore> keyValue() {
        return keyValue != null ? keyValue : base.keyValue();
    }

    @Override
    public Optional<PubSub> pubSub() {
        return pubSub != null ? pubSub : base.pubSub();
    }

    @Override
    public void close() {
        base.close();
    }

    @Override
    public ObjectNode get(String id) {
        return documents.get(id);
    }

    @Override
    public ObjectNode get(String id, GetOptions options) {
        return documents.get(id, options);
    }

    @Override
    public DocumentJson getJson(String id, GetOptions options) {
        return documents.getJson(id, options);
    }

    @Override
    public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) {
        return documents.getOpenRevs(id, revs, options);
    }

    @Override
    public DocResult.Ok put(ObjectNode doc) {
        return documents.put(doc);
    }

    @Override
    public DocResult.Ok post(ObjectNode doc) {
        return documents.post(doc);
    }

    @Override
    public DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following) {
        return documents.putWithAttachments(doc, newEdits, following);
    }

    @Override
    public DocResult.Ok remove(String id, String rev) {
        return documents.remove(id, rev);
    }

    @Override
    public List<DocResult> bulkDocs(List<ObjectNode> docs, boolean newEdits) {
        return documents.bulkDocs(docs, newEdits);
    }

    @Override
    public List<DocResult> bulkDocs(List<ObjectNode> docs) {
        return documents.bulkDocs(docs);
    }

    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) {
        documents.allDocs(options, sink);
    }

    @Override
    public AllDocsResult allDocs(AllDocsOptions options) {
        return documents.allDocs(options);
    }

    @Override
    public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) {
        return documents.revsDiff(revs);
    }

    @Override
    public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) {
        return documents.bulkGet(requests, options);
    }

    @Override
    public ObjectNode getLocal(String id) {
        return localDocuments.getLocal(id);
    }

    @Override
    public DocResult.Ok putLocal(ObjectNode doc) {
        return localDocuments.putLocal(doc);
    }

    @Override
    public void removeLocal(String id, String rev) {
        localDocuments.removeLocal(id, rev);
    }

    @Override
    public void localDocs(AllDocsOptions options, AllDocsSink sink) {
        localDocuments.localDocs(options, sink);
    }

    @Override
    public AttachmentStream getAttachment(String docId, String name, String rev) {
        return attachments.getAttachment(docId, name, rev);
    }

    @Override
    public DocResult.Ok putAttachment(String docId, String rev, String name, String contentType, InputStream data) {
        return attachments.putAttachment(docId, rev, name, contentType, data);
    }

    @Override
    public DocResult.Ok removeAttachment(String docId, String rev, String name) {
        return attachments.removeAttachment(docId, rev, name);
    }

    @Override
    public ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows) {
        return changes.changes(options, rows);
    }

    @Override
    public ChangesResult changes(ChangesOptions options) {
        return changes.changes(options);
    }

    @Override
    public Subscription onCommit(Consumer<CommitEvent> listener) {
        return changes.onCommit(listener);
    }

    @Override
    public FindResult find(FindRequest request) {
        return mango.find(request);
    }

    @Override
    public void find(FindRequest request, FindSink sink) {
        mango.find(request, sink);
    }

    @Override
    public Explain explain(FindRequest request) {
        return mango.explain(request);
    }

    @Override
    public IndexResult createIndex(IndexDefinition definition) {
        return mango.createIndex(definition);
    }

    @Override
    public List<IndexInfo> indexes() {
        return mango.indexes();
    }

    @Override
    public void deleteIndex(String ddoc, String name) {
        mango.deleteIndex(ddoc, name);
    }

    @Override
    public IndexBulkDeleteResult bulkDeleteIndexes(List<String> ddocs) {
        return mango.bulkDeleteIndexes(ddocs);
    }

    @Override
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        views.query(ddoc, view, query, sink);
    }

    @Override
    public void reduceOver(String ddoc, String view, ViewQuery query, java.util.function.Predicate<String> emittedBy,
                           ViewSink sink) {
        views.reduceOver(ddoc, view, query, emittedBy, sink);
    }

    @Override
    public ViewResult query(String ddoc, String view, ViewQuery query) {
        return views.query(ddoc, view, query);
    }

    @Override
    public ViewIndexInfo viewInfo(String ddoc) {
        return views.viewInfo(ddoc);
    }

    @Override
    public void viewCleanup() {
        views.viewCleanup();
    }

    @Override
    public void compact() {
        maintenance.compact();
    }

    @Override
    public PurgeResult purge(Map<String, List<String>> revsByDocId) {
        return maintenance.purge(revsByDocId);
    }

    @Override
    public ObjectNode getSecurity() {
        return maintenance.getSecurity();
    }

    @Override
    public void setSecurity(ObjectNode security) {
        maintenance.setSecurity(security);
    }

    @Override
    public java.util.Optional<String> encryptionKey() {
        return maintenance.encryptionKey();
    }

    @Override
    public int revsLimit() {
        return maintenance.revsLimit();
    }

    @Override
    public void setRevsLimit(int limit) {
        maintenance.setRevsLimit(limit);
    }
}
