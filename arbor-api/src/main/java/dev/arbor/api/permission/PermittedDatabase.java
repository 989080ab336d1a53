package dev.arbor.api.permission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsSink;
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
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.FindSink;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewSink;
import dev.arbor.core.error.ArborException;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A database used as one caller with {@link Permissions}: each capability needs its action on the database, granted
 * on the whole database or on some of its documents ({@code database.read_document} for documents, attachments and
 * info, {@code database.write_document} for writes, {@code database.read_changes}, {@code database.query_view},
 * {@code database.query_index}, {@code database.compact}, {@code database.manage_security} for security, revision
 * limits and purges), and what the caller reads and writes is narrowed to their documents by
 * {@link RestrictedDatabase}. The key-value store needs {@code kv.get}/{@code kv.set}/{@code kv.delete} on each
 * key, pub/sub {@code pubsub.publish}/{@code pubsub.subscribe} on each topic. A refusal is
 * {@link ArborException.Forbidden}.
 */
public final class PermittedDatabase implements Database {
    private final Database base;
    private final Database restricted;
    private final Permissions permissions;
    private final ResourceName resource;
    /** The at-rest key of the database, whose encrypt and decrypt actions its reads and writes need; null if none. */
    private final ResourceName key;

    private PermittedDatabase(Database base, Permissions permissions) {
        this.base = base;
        this.permissions = permissions;
        this.resource = ResourceName.database(base.name());
        this.key = base.encryptionKey().map(ResourceName::encryptionKey).orElse(null);
        this.restricted = RestrictedDatabase.of(base, permissions.documents(base.name(), Action.DATABASE_READ_DOCUMENT),
                permissions.documents(base.name(), Action.DATABASE_WRITE_DOCUMENT));
    }

    public static Database of(Database base, Permissions permissions) {
        return permissions.isAll() ? base : new PermittedDatabase(base, permissions);
    }

    /** The action on the database, or on some of its documents (which the restricted database then narrows to). */
    private Database need(Action action) {
        if (!permissions.allowed(resource, action)
                && permissions.documents(base.name(), action) instanceof DocumentAccess.None) {
            throw new ArborException.Forbidden("You are not allowed to " + action.qualifiedName() + " on " + resource);
        }
        if (key != null) {
            Action keyAction = action == Action.DATABASE_WRITE_DOCUMENT ? Action.ENCRYPTION_ENCRYPT : Action.ENCRYPTION_DECRYPT;
            if (!permissions.allowed(key, keyAction)) {
                throw new ArborException.Forbidden("You are not allowed to " + keyAction.qualifiedName() + " with " + key
                        + ", the key " + resource + " is encrypted with");
            }
        }
        return restricted;
    }

    private Database read() {
        return need(Action.DATABASE_READ_DOCUMENT);
    }

    private Database write() {
        return need(Action.DATABASE_WRITE_DOCUMENT);
    }

    private Database admin() {
        permissions.check(resource, Action.DATABASE_MANAGE_SECURITY);
        return base;
    }

    @Override public String name() { return base.name(); }
    @Override public java.util.Optional<String> encryptionKey() { return base.encryptionKey(); }
    @Override public DbInfo info() { return read().info(); }
    @Override public Partition partition(String name) { return read().partition(name); }

    @Override public ObjectNode get(String id, GetOptions options) { return read().get(id, options); }
    @Override public DocumentJson getJson(String id, GetOptions options) { return read().getJson(id, options); }
    @Override public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) { return read().getOpenRevs(id, revs, options); }
    @Override public DocResult.Ok put(ObjectNode doc) { return write().put(doc); }
    @Override public DocResult.Ok post(ObjectNode doc) { return write().post(doc); }
    @Override public DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following) {
        return write().putWithAttachments(doc, newEdits, following);
    }
    @Override public DocResult.Ok remove(String id, String rev) { return write().remove(id, rev); }
    @Override public List<DocResult> bulkDocs(List<ObjectNode> docs, boolean newEdits) { return write().bulkDocs(docs, newEdits); }
    @Override public void allDocs(AllDocsOptions options, AllDocsSink sink) { read().allDocs(options, sink); }
    @Override public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) { return read().revsDiff(revs); }
    @Override public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) { return read().bulkGet(requests, options); }

    @Override public ObjectNode getLocal(String id) { return read().getLocal(id); }
    @Override public DocResult.Ok putLocal(ObjectNode doc) { return read().putLocal(doc); }
    @Override public void removeLocal(String id, String rev) { read().removeLocal(id, rev); }
    @Override public void localDocs(AllDocsOptions options, AllDocsSink sink) { read().localDocs(options, sink); }

    @Override public AttachmentStream getAttachment(String docId, String name, String rev) { return read().getAttachment(docId, name, rev); }
    @Override public DocResult.Ok putAttachment(String docId, String rev, String name, String contentType, InputStream data) {
        return write().putAttachment(docId, rev, name, contentType, data);
    }
    @Override public DocResult.Ok removeAttachment(String docId, String rev, String name) { return write().removeAttachment(docId, rev, name); }

    @Override public ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows) {
        return need(Action.DATABASE_READ_CHANGES).changes(options, rows);
    }
    @Override public Subscription onCommit(Consumer<CommitEvent> listener) { return need(Action.DATABASE_READ_CHANGES).onCommit(listener); }

    @Override public FindResult find(FindRequest request) { return need(Action.DATABASE_QUERY_INDEX).find(request); }
    @Override public void find(FindRequest request, FindSink sink) { need(Action.DATABASE_QUERY_INDEX).find(request, sink); }
    @Override public Explain explain(FindRequest request) { return need(Action.DATABASE_QUERY_INDEX).explain(request); }
    @Override public IndexResult createIndex(IndexDefinition definition) { return write().createIndex(definition); }
    @Override public List<IndexInfo> indexes() { return need(Action.DATABASE_QUERY_INDEX).indexes(); }
    @Override public void deleteIndex(String ddoc, String name) { write().deleteIndex(ddoc, name); }

    @Override public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        need(Action.DATABASE_QUERY_VIEW).query(ddoc, view, query, sink);
    }
    @Override public void reduceOver(String ddoc, String view, ViewQuery query,
                                     java.util.function.Predicate<String> emittedBy, ViewSink sink) {
        need(Action.DATABASE_QUERY_VIEW).reduceOver(ddoc, view, query, emittedBy, sink);
    }
    @Override public ViewIndexInfo viewInfo(String ddoc) { return need(Action.DATABASE_QUERY_VIEW).viewInfo(ddoc); }
    @Override public void viewCleanup() { admin().viewCleanup(); }

    @Override public void compact() {
        permissions.check(resource, Action.DATABASE_COMPACT);
        base.compact();
    }
    @Override public PurgeResult purge(Map<String, List<String>> revsByDocId) { return admin().purge(revsByDocId); }
    @Override public ObjectNode getSecurity() { return read().getSecurity(); }
    @Override public void setSecurity(ObjectNode security) { admin().setSecurity(security); }
    @Override public int revsLimit() { return read().revsLimit(); }
    @Override public void setRevsLimit(int limit) { admin().setRevsLimit(limit); }

    @Override
    public Optional<KeyValueStore> keyValue() {
        return base.keyValue().map(store -> new PermittedKeyValue(store, base.name(), permissions));
    }

    @Override
    public Optional<PubSub> pubSub() {
        return base.pubSub().map(pubSub -> new PermittedPubSub(pubSub, base.name(), permissions));
    }

    @Override
    public void close() {
        base.close();
    }
}
