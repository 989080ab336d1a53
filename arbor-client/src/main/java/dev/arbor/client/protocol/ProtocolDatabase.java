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
import dev.arbor.api.find.Explain;
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
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One database of the server over the Arbor protocol: its documents, key-value store and pub/sub, each call one
 * request on the shared connection. The facets the protocol does not carry yet throw
 * {@link UnsupportedOperationException} naming the facet (use the HTTP client, {@code Arbor.open("http://...")}, for
 * them). Thread-safe, as the connection is.
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

    private ObjectNode args() {
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

    /** The rows come in one answer for now, then go to the sink in order. */
    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) {
        AllDocsResult result = allDocs(options);
        sink.begin(result.totalRows(), result.offset(), result.updateSeq());
        result.rows().forEach(sink::row);
    }

    @Override
    public AllDocsResult allDocs(AllDocsOptions options) {
        ObjectNode args = args();
        args.set("options", Values.tree(options));
        return Values.allDocsResult(call(Op.DOC_ALL_DOCS, args));
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

    @Override
    public DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following) {
        throw unsupported("attachments");
    }

    // ---- the revision limit, the one part of maintenance carried

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

    // ---- facets not carried by the protocol yet

    private static UnsupportedOperationException unsupported(String facet) {
        return new UnsupportedOperationException("the " + facet
                + " facet is not carried by the Arbor protocol yet; use the HTTP client (http://) for it");
    }

    @Override public Partition partition(String partition) { throw unsupported("partitions"); }
    @Override public ObjectNode getLocal(String id) { throw unsupported("local documents"); }
    @Override public DocResult.Ok putLocal(ObjectNode doc) { throw unsupported("local documents"); }
    @Override public void removeLocal(String id, String rev) { throw unsupported("local documents"); }
    @Override public void localDocs(AllDocsOptions options, AllDocsSink sink) { throw unsupported("local documents"); }
    @Override public AttachmentStream getAttachment(String docId, String attachment, String rev) { throw unsupported("attachments"); }
    @Override public DocResult.Ok putAttachment(String docId, String rev, String attachment, String contentType, InputStream data) {
        throw unsupported("attachments");
    }
    @Override public DocResult.Ok removeAttachment(String docId, String rev, String attachment) { throw unsupported("attachments"); }
    @Override public ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows) { throw unsupported("changes"); }
    @Override public Subscription onCommit(Consumer<CommitEvent> listener) { throw unsupported("changes"); }
    @Override public FindResult find(FindRequest request) { throw unsupported("Mango"); }
    @Override public Explain explain(FindRequest request) { throw unsupported("Mango"); }
    @Override public IndexResult createIndex(IndexDefinition definition) { throw unsupported("Mango"); }
    @Override public List<IndexInfo> indexes() { throw unsupported("Mango"); }
    @Override public void deleteIndex(String ddoc, String index) { throw unsupported("Mango"); }
    @Override public void query(String ddoc, String view, ViewQuery query, ViewSink sink) { throw unsupported("views"); }
    @Override public ViewIndexInfo viewInfo(String ddoc) { throw unsupported("views"); }
    @Override public void viewCleanup() { throw unsupported("views"); }
    @Override public void compact() { throw unsupported("maintenance"); }
    @Override public PurgeResult purge(Map<String, List<String>> revs) { throw unsupported("maintenance"); }
    @Override public ObjectNode getSecurity() { throw unsupported("maintenance"); }
    @Override public void setSecurity(ObjectNode security) { throw unsupported("maintenance"); }

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
