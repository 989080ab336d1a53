package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsResult;
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
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.Partition;
import dev.arbor.api.PurgeResult;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Subscription;
import dev.arbor.api.Seq;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindSink;
import dev.arbor.api.find.IndexBulkDeleteResult;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewSink;
import dev.arbor.core.doc.Partitions;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.wire.find.FindJson;
import dev.arbor.wire.view.ViewJson;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One database of the server over the Arbor protocol: every facet of the contract, the key-value store and pub/sub,
 * each call one request on the shared connection. Long answers (rows, attachments) come in chunks paced by the reader,
 * uploads go out in chunks paced by the server, and commit listeners are server pushes. Thread-safe, as the connection
 * is.
 */
final class ProtocolDatabase implements Database {
    private final ReconnectingConnection connection;
    private final String name;
    /** Closed with this database when it was opened alone ({@code Arbor.open("ws://host/db")}); else null. */
    private final AutoCloseable owner;

    ProtocolDatabase(ReconnectingConnection connection, String name, AutoCloseable owner) {
        this.connection = connection;
        this.name = name;
        this.owner = owner;
    }

    ObjectNode args() {
        return Values.object().put("db", name);
    }

    private JsonNode call(Op op, ObjectNode args) {
        return connection.call(op, args);
    }

    /** The database's URL without credentials, as the HTTP client names its databases. */
    @Override
    public String name() {
        return connection.server().resolve(java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8) + "/").toString();
    }

    @Override
    public DbInfo info() {
        return Values.dbInfo(call(Op.DB_INFO, args()));
    }

    // ---- documents

    @Override
    public ObjectNode get(String id, GetOptions options) {
        ObjectNode args = args().put("id", id);
        args.set("options", Values.tree(options));
        return (ObjectNode) call(Op.DOC_GET, args);
    }

    @Override
    public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) {
        ObjectNode args = args().put("id", id);
        if (revs != null) {
            args.set("revs", Values.strings(revs));
        }
        args.set("options", Values.tree(options));
        return List.copyOf(Values.openRevs(call(Op.DOC_OPEN_REVS, args)));
    }

    @Override
    public DocResult.Ok put(ObjectNode doc) {
        ObjectNode args = args();
        args.set("doc", doc);
        return (DocResult.Ok) Values.docResult(call(Op.DOC_PUT, args));
    }

    @Override
    public DocResult.Ok post(ObjectNode doc) {
        ObjectNode args = args();
        args.set("doc", doc);
        return (DocResult.Ok) Values.docResult(call(Op.DOC_POST, args));
    }

    @Override
    public DocResult.Ok remove(String id, String rev) {
        return (DocResult.Ok) Values.docResult(call(Op.DOC_REMOVE, args().put("id", id).put("rev", rev)));
    }

    @Override
    public List<DocResult> bulkDocs(List<ObjectNode> docs, boolean newEdits) {
        ObjectNode args = args().put("newEdits", newEdits);
        ArrayNode array = args.putArray("docs");
        docs.forEach(array::add);
        return List.copyOf(Values.docResults(call(Op.DOC_BULK_DOCS, args)));
    }

    /** The rows come in chunks as the server reads them, to the sink in order. */
    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) {
        ObjectNode args = args();
        args.set("options", Values.tree(options));
        StreamedAnswers.allDocs(connection, Op.DOC_ALL_DOCS_ROWS, args, sink);
    }

    @Override
    public AllDocsResult allDocs(AllDocsOptions options) {
        var collector = new AllDocsResult.Collector();
        allDocs(options, collector);
        return collector.result();
    }

    @Override
    public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) {
        ObjectNode args = args();
        args.set("revs", Values.revs(revs));
        return Values.revsDiff(call(Op.DOC_REVS_DIFF, args));
    }

    @Override
    public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) {
        ObjectNode args = args();
        args.set("requests", Values.bulkGetRequests(requests));
        args.set("options", Values.tree(options));
        return List.copyOf(Values.bulkGetResults(call(Op.DOC_BULK_GET, args)));
    }

    /** The parts go one after another, in the map's order, each as chunks. */
    @Override
    public DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following) {
        ObjectNode args = args().put("newEdits", newEdits);
        args.set("doc", doc);
        args.set("parts", Values.strings(List.copyOf(following.keySet())));
        return (DocResult.Ok) Values.docResult(connection.upload(Op.DOC_PUT_WITH_ATTACHMENTS, args, List.copyOf(following.values())));
    }

    // ---- local documents

    @Override
    public ObjectNode getLocal(String id) {
        return (ObjectNode) call(Op.LOCAL_GET, args().put("id", id));
    }

    @Override
    public DocResult.Ok putLocal(ObjectNode doc) {
        ObjectNode args = args();
        args.set("doc", doc);
        return (DocResult.Ok) Values.docResult(call(Op.LOCAL_PUT, args));
    }

    @Override
    public void removeLocal(String id, String rev) {
        call(Op.LOCAL_REMOVE, args().put("id", id).put("rev", rev));
    }

    @Override
    public void localDocs(AllDocsOptions options, AllDocsSink sink) {
        ObjectNode args = args();
        args.set("options", Values.tree(options));
        StreamedAnswers.allDocs(connection, Op.LOCAL_DOCS, args, sink);
    }

    // ---- attachments

    /** The bytes come in chunks as the returned stream is read; closing it early cancels the rest. */
    @Override
    public AttachmentStream getAttachment(String docId, String attachment, String rev) {
        return StreamedAnswers.attachment(connection, args().put("id", docId).put("name", attachment).put("rev", rev));
    }

    @Override
    public DocResult.Ok putAttachment(String docId, String rev, String attachment, String contentType, InputStream data) {
        ObjectNode args = args().put("id", docId).put("rev", rev).put("name", attachment).put("contentType", contentType);
        return (DocResult.Ok) Values.docResult(connection.upload(Op.ATTACHMENT_PUT, args, List.of(data)));
    }

    @Override
    public DocResult.Ok removeAttachment(String docId, String rev, String attachment) {
        return (DocResult.Ok) Values.docResult(call(Op.ATTACHMENT_REMOVE, args().put("id", docId).put("rev", rev).put("name", attachment)));
    }

    // ---- changes

    @Override
    public ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows) {
        ObjectNode args = args();
        args.set("options", Values.tree(options));
        return StreamedAnswers.changes(connection, args, rows);
    }

    /**
     * A chunk from the server per commit: the subscription's first answer says the server's listener is in place, so a
     * write after this returns is heard. Commits the client is slow to take coalesce on the server into the latest seq.
     * After a lost connection it is made again from the latest seq heard ({@link ChangesSubscription}), and tells once
     * of the commits missed meanwhile; one that cannot be made again ends, with its reason in
     * {@link ChangesSubscription#failure}.
     */
    @Override
    public ChangesSubscription onCommit(Consumer<CommitEvent> listener) {
        return ChangesSubscription.open(connection, Op.CHANGES_SUBSCRIBE, args(), null, "a commit listener of " + name, (subscription, chunk) -> {
            Seq seq = Seq.fromJson(chunk.get("seq"));
            Seq before = subscription.latestSeq();
            subscription.advanced(seq);
            // The ready chunk tells of commits only after a resubscription that missed some.
            if (!chunk.path("ready").asBoolean(false) || !seq.equals(before)) {
                listener.accept(new CommitEvent(name, seq));
            }
        });
    }

    /**
     * The changes feed as pushes, for a live reader: {@code rows} gets each change after {@code options.since()}, then
     * the changes of each commit as it lands, until the subscription closes. Each row's seq is kept, so a resubscription
     * goes on from the last one delivered.
     */
    ChangesSubscription changesFeed(ChangesOptions options, Consumer<ChangeRow> rows) {
        ObjectNode args = args().put("rows", true);
        args.set("options", Values.tree(options));
        return ChangesSubscription.open(connection, Op.CHANGES_SUBSCRIBE, args, options.since(), "the changes feed of " + name, (subscription, chunk) -> {
            if (chunk.path("ready").asBoolean(false)) {
                return;
            }
            dev.arbor.protocol.Streaming.readRowsChunk(chunk, header -> { }, row -> {
                ChangeRow change = Values.record(row, ChangeRow.class);
                rows.accept(change);
                subscription.advanced(change.seq());
            });
        });
    }

    // ---- Mango

    @Override
    public FindResult find(FindRequest request) {
        return StreamedAnswers.find(connection, findArgs(request, null));
    }

    @Override
    public void find(FindRequest request, FindSink sink) {
        StreamedAnswers.find(connection, findArgs(request, null), sink);
    }

    ObjectNode findArgs(FindRequest request, String partition) {
        ObjectNode args = args();
        if (partition != null) {
            args.put("partition", partition);
        }
        args.set("request", FindJson.request(request));
        return args;
    }

    @Override
    public Explain explain(FindRequest request) {
        return FindJson.explain(call(Op.MANGO_EXPLAIN, findArgs(request, null)));
    }

    @Override
    public IndexResult createIndex(IndexDefinition definition) {
        ObjectNode args = args();
        args.set("definition", FindJson.indexDefinition(definition));
        return FindJson.indexResult(call(Op.MANGO_CREATE_INDEX, args));
    }

    @Override
    public List<IndexInfo> indexes() {
        return FindJson.indexList(call(Op.MANGO_INDEXES, args()));
    }

    @Override
    public void deleteIndex(String ddoc, String index) {
        call(Op.MANGO_DELETE_INDEX, args().put("ddoc", ddoc).put("name", index));
    }

    @Override
    public IndexBulkDeleteResult bulkDeleteIndexes(List<String> ddocs) {
        ObjectNode args = args();
        args.set("ddocs", Values.strings(ddocs));
        return FindJson.bulkDeleteResult(call(Op.MANGO_BULK_DELETE_INDEXES, args));
    }

    // ---- views

    @Override
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        StreamedAnswers.view(connection, viewArgs(ddoc, view, query, null), sink);
    }

    ObjectNode viewArgs(String ddoc, String view, ViewQuery query, String partition) {
        ObjectNode args = args().put("ddoc", ddoc).put("view", view);
        if (partition != null) {
            args.put("partition", partition);
        }
        args.set("query", ViewJson.toJson(query));
        return args;
    }

    @Override
    public ViewIndexInfo viewInfo(String ddoc) {
        return ViewJson.info(call(Op.VIEW_INFO, args().put("ddoc", ddoc)));
    }

    @Override
    public void viewCleanup() {
        call(Op.VIEW_CLEANUP, args());
    }

    // ---- partitions

    /** One request now, so a plain database refuses here as the engine does, not at the first read. */
    @Override
    public Partition partition(String partition) {
        Partitions.validatePartition(partition);
        if (!info().partitioned()) {
            throw new ArborException.BadRequest("bad_request", "database is not partitioned");
        }
        return new ProtocolPartition(this, connection, partition);
    }

    // ---- maintenance

    @Override
    public int revsLimit() {
        return call(Op.DB_REVS_LIMIT, args()).asInt();
    }

    @Override
    public void setRevsLimit(int limit) {
        call(Op.DB_SET_REVS_LIMIT, args().put("limit", limit));
    }

    // ---- the optional facets carried

    /** The typed views the server's storage registered (its schema's), queried by name; their code runs there. */
    @Override
    public Optional<dev.arbor.api.TypedViews> typedViews() {
        return Optional.of(new ProtocolTypedViews(connection, name));
    }

    /** Atomic on the server: the batch commits there in one write, all or none (a transaction's commit). */
    @Override
    public Optional<dev.arbor.api.AtomicWrites> atomicWrites() {
        return Optional.of(writes -> {
            ObjectNode args = args();
            args.set("writes", dev.arbor.protocol.ApiCalls.atomicWrites(writes));
            return Values.docResults(call(Op.DOC_BULK_ALL_OR_NOTHING, args)).stream()
                    .map(DocResult.Ok.class::cast).toList();
        });
    }

    @Override
    public Optional<KeyValueStore> keyValue() {
        return Optional.of(new ProtocolKeyValue(connection, name, ""));
    }

    @Override
    public Optional<dev.arbor.api.live.LiveQueries> liveQueries() {
        return Optional.of(new ProtocolLiveQueries(connection, name));
    }

    @Override
    public Optional<PubSub> pubSub() {
        return Optional.of(new ProtocolPubSub(connection, name));
    }

    @Override
    public void compact() {
        call(Op.DB_COMPACT, args());
    }

    @Override
    public PurgeResult purge(Map<String, List<String>> revs) {
        ObjectNode args = args();
        args.set("revs", Values.revs(revs));
        return Values.record(call(Op.DB_PURGE, args), PurgeResult.class);
    }

    @Override
    public ObjectNode getSecurity() {
        return (ObjectNode) call(Op.DB_SECURITY, args());
    }

    @Override
    public void setSecurity(ObjectNode security) {
        ObjectNode args = args();
        args.set("security", security);
        call(Op.DB_SET_SECURITY, args);
    }

    @Override
    public Optional<String> encryptionKey() {
        JsonNode key = call(Op.DB_ENCRYPTION_KEY, args());
        return key == null || key.isNull() ? Optional.empty() : Optional.of(key.asText());
    }

    /** Closes the connection only when this database was opened alone; otherwise its storage owns it. */
    @Override
    public void close() {
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
