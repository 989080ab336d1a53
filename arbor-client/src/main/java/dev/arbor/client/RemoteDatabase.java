package dev.arbor.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.Partition;
import dev.arbor.api.PartitionInfo;
import dev.arbor.api.PurgeResult;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Seq;
import dev.arbor.api.Subscription;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexBulkDeleteResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.client.changes.CommitFeed;
import dev.arbor.client.http.CouchHttp;
import dev.arbor.client.http.CouchRequest;
import dev.arbor.client.http.MultipartReader;
import dev.arbor.client.http.MultipartRelated;
import dev.arbor.client.http.Query;
import dev.arbor.client.http.UrlEncoding;
import dev.arbor.client.json.AllDocsReader;
import dev.arbor.client.json.ChangesReader;
import dev.arbor.client.json.OpenRevsMultipart;
import dev.arbor.client.json.Replies;
import dev.arbor.core.doc.Partitions;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.wire.find.FindJson;
import dev.arbor.wire.view.ViewJson;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One database of a CouchDB-compatible server, behind the same {@link Database} contract as the local
 * engine: each method is the CouchDB HTTP request of the same name, and each error answer becomes the
 * {@link ArborException} the engine throws. Obtain it from a {@link RemoteStorage} (or
 * {@code Arbor.open("http://host:5984/db")}); it is thread-safe, as the HTTP client underneath is.
 *
 * <p>{@code _all_docs}, {@code _local_docs} and {@code _changes} answers are parsed as they arrive and
 * handed on row by row; attachments stream both ways. Sequences are {@link Seq}s: a server's opaque
 * string goes back exactly as it came.
 */
public final class RemoteDatabase implements Database {
    private static final String LOCAL_PREFIX = "_local/";
    /** The statuses by which a server says it has no {@code _bulk_get} (see {@link #bulkGet}). */
    private static final Set<Integer> BULK_GET_UNKNOWN = Set.of(400, 404, 405, 415, 501);
    /** The parameters {@link #changes} sets itself; a filter's query parameter of the same name is not sent. */
    private static final Set<String> CHANGES_PARAMETERS = Set.of("since", "limit", "descending", "include_docs",
            "conflicts", "style", "filter", "feed", "heartbeat", "timeout", "doc_ids");
    /** How long a longpoll waits on the server; below the idle timeouts of common proxies. */
    private static final int LONGPOLL_TIMEOUT_MILLIS = 25_000;

    private final CouchHttp http;
    private final String name;
    private final String path;
    /** The database's URL without credentials: its {@link #name()}, as CouchDB's replicator names its ends. */
    private final String url;
    private final CommitFeed commits;
    /** The storage to close with this database, when it was opened for this database alone. */
    private final RemoteStorage owner;

    RemoteDatabase(CouchHttp http, String name, RemoteStorage owner) {
        this.http = http;
        this.name = name;
        this.path = RemoteStorage.dbPath(name) + "/";
        this.url = http.root() + path;
        this.owner = owner;
        this.commits = new CommitFeed(name, new LongpollSource());
    }

    /**
     * The database's URL without credentials ({@code http://host:5984/db/}), what CouchDB's replicator shows
     * as a source or target: it tells databases of one name on different servers apart (a replication id is
     * made of it). {@link #info()}{@code .dbName()} is the name on the server.
     */
    @Override
    public String name() {
        return url;
    }

    @Override
    public DbInfo info() {
        return Replies.dbInfo(http.json(CouchRequest.get(RemoteStorage.dbPath(name))));
    }

    // ---- documents -------------------------------------------------------------------------

    @Override
    public ObjectNode get(String id, GetOptions options) {
        if (id.startsWith(LOCAL_PREFIX)) {
            return getLocal(id);
        }
        return object(http.json(CouchRequest.get(path + UrlEncoding.docPath(id)).query(readQuery(options, true))));
    }

    /**
     * {@code GET /db/id?open_revs=...}. With attachment data asked for, {@code Accept: multipart/mixed} lets
     * CouchDB send each revision's attachments as raw bytes instead of base64 in JSON (as its replicator
     * asks); a server that answers JSON anyway (pouchdb-server) is read as JSON. Either way the revisions come
     * back as JSON with inline {@code data}, as the contract has them.
     */
    @Override
    public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) {
        Query query = readQuery(options, false);
        if (revs == null) {
            query.add("open_revs", "all");
        } else {
            query.json("open_revs", Json.MAPPER.valueToTree(revs));
        }
        CouchRequest request = CouchRequest.get(path + UrlEncoding.docPath(id)).query(query);
        if (options.attachments()) {
            request = request.header("Accept", "multipart/mixed, application/json");
        }
        HttpResponse<InputStream> response = http.open(request);
        String contentType = response.headers().firstValue("Content-Type").orElse("application/json");
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new ArborException.Internal("reading open_revs of " + id + " from " + http.root() + " failed: "
                    + e.getMessage(), e);
        }
        if (MultipartReader.isType(contentType, "multipart/mixed")) {
            return OpenRevsMultipart.read(body, MultipartReader.boundary(contentType));
        }
        List<OpenRev> out = new ArrayList<>();
        Json.parse(body).forEach(entry -> out.add(Replies.openRev(entry)));
        return List.copyOf(out);
    }

    @Override
    public DocResult.Ok put(ObjectNode doc) {
        JsonNode id = doc.get("_id");
        if (id == null) {
            throw new ArborException.PreconditionFailed("missing_id", "_id is required for puts");
        }
        if (id.isTextual() && id.textValue().startsWith(LOCAL_PREFIX)) {
            return putLocal(doc);
        }
        if (!id.isTextual() || id.textValue().isEmpty()) {
            // No URL can carry this id; POST it and let the server refuse it with its own error.
            return Replies.ok(http.json(new CouchRequest("POST", RemoteStorage.dbPath(name), "", Map.of(),
                    java.net.http.HttpRequest.BodyPublishers.noBody(), true).json(doc)));
        }
        return Replies.ok(http.json(CouchRequest.of("PUT", path + UrlEncoding.docPath(id.textValue())).json(doc)));
    }

    /**
     * The id is made here, as the engine makes it (a random UUID as 32 hex digits), rather than by the
     * server: servers differ in their id format, and a PUT with a known id is safe to repeat.
     */
    @Override
    public DocResult.Ok post(ObjectNode doc) {
        if (doc.has("_id")) {
            return put(doc);
        }
        ObjectNode withId = doc.deepCopy();
        UUID uuid = UUID.randomUUID();
        withId.put("_id", String.format("%016x%016x", uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()));
        return put(withId);
    }

    @Override
    public DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following) {
        JsonNode id = doc.get("_id");
        if (id == null) {
            throw new ArborException.PreconditionFailed("missing_id", "_id is required for puts");
        }
        Query query = new Query();
        if (!newEdits) query.add("new_edits", "false");
        CouchRequest request = CouchRequest.of("PUT", path + UrlEncoding.docPath(id.asText())).query(query);
        List<MultipartRelated.Part> parts = followingParts(doc, following);
        if (parts.isEmpty()) {
            return Replies.ok(http.json(request.json(doc)));
        }
        MultipartRelated body = new MultipartRelated(doc, parts);
        return Replies.ok(http.json(request.stream(body.contentType(), body::stream)));
    }

    /** The parts to send after the document: each attachment marked {@code follows}, in {@code _attachments} order. */
    private static List<MultipartRelated.Part> followingParts(ObjectNode doc, Map<String, InputStream> following) {
        List<MultipartRelated.Part> parts = new ArrayList<>();
        JsonNode attachments = doc.path("_attachments");
        for (var it = attachments.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (!entry.getValue().path("follows").asBoolean(false)) continue;
            InputStream data = following.get(entry.getKey());
            if (data == null) {
                throw new ArborException.BadRequest("bad_request",
                        "Attachment " + entry.getKey() + " is marked follows but no data was given for it");
            }
            String type = entry.getValue().path("content_type").asText("application/octet-stream");
            parts.add(new MultipartRelated.Part(entry.getKey(), type, data));
        }
        return parts;
    }

    @Override
    public DocResult.Ok remove(String id, String rev) {
        if (id.startsWith(LOCAL_PREFIX)) {
            removeLocal(id, rev);
            return new DocResult.Ok(id, "0-0");
        }
        if (rev == null) {
            // CouchDB answers a DELETE without rev with a conflict, as the engine does.
            throw new ArborException.Conflict();
        }
        return Replies.ok(http.json(CouchRequest.delete(path + UrlEncoding.docPath(id)).query(new Query().add("rev", rev))));
    }

    @Override
    public List<DocResult> bulkDocs(List<ObjectNode> docs, boolean newEdits) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("docs");
        docs.forEach(array::add);
        if (!newEdits) body.put("new_edits", false);
        JsonNode answer = http.json(CouchRequest.of("POST", path + "_bulk_docs").json(body));
        List<DocResult> results = new ArrayList<>();
        for (int i = 0; i < answer.size(); i++) {
            JsonNode entry = answer.get(i);
            // Answers are in request order; a rev is looked up by id when the server answered only failures. An
            // interactive edit's error names no rev, as CouchDB (and the engine) answer it.
            String requestedRev = newEdits ? null : revOfRequest(docs, i, entry.path("id").asText(null), answer.size());
            DocResult result = Replies.docResult(entry, requestedRev);
            // CouchDB reports only failures for new_edits=false; some servers echo every doc.
            if (newEdits || result instanceof DocResult.Error) results.add(result);
        }
        return List.copyOf(results);
    }

    private static String revOfRequest(List<ObjectNode> docs, int index, String id, int answers) {
        if (answers == docs.size()) {
            return docs.get(index).path("_rev").asText(null);
        }
        for (ObjectNode doc : docs) {
            if (doc.path("_id").asText("").equals(id)) return doc.path("_rev").asText(null);
        }
        return null;
    }

    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) {
        readRows(path + "_all_docs", options, sink);
    }

    @Override
    public void localDocs(AllDocsOptions options, AllDocsSink sink) {
        readRows(path + "_local_docs", options, sink);
    }

    // ---- partitions ----------------------------------------------------------------------------

    @Override
    public Partition partition(String partition) {
        Partitions.validatePartition(partition);
        // One GET now, so a plain database refuses here as the local engine does, not at the first read.
        if (!info().partitioned()) {
            throw new ArborException.BadRequest("bad_request", "database is not partitioned");
        }
        return new RemotePartition(partition);
    }

    /** {@code /db/_partition/{p}/...}: the server checks that the database is partitioned. */
    private final class RemotePartition implements Partition {
        private final String partition;
        private final String partitionPath;

        RemotePartition(String partition) {
            this.partition = partition;
            this.partitionPath = path + "_partition/" + UrlEncoding.encode(partition) + "/";
        }

        @Override
        public Database database() {
            return RemoteDatabase.this;
        }

        @Override
        public String name() {
            return partition;
        }

        @Override
        public PartitionInfo info() {
            JsonNode json = http.json(CouchRequest.get(partitionPath.substring(0, partitionPath.length() - 1)));
            JsonNode sizes = json.path("sizes");
            return new PartitionInfo(json.path("db_name").asText(), json.path("partition").asText(),
                    json.path("doc_count").asLong(), json.path("doc_del_count").asLong(),
                    sizes.path("active").asLong(), sizes.path("external").asLong());
        }

        @Override
        public void allDocs(AllDocsOptions options, AllDocsSink sink) {
            readRows(partitionPath + "_all_docs", options, sink);
        }

        @Override
        public FindResult find(FindRequest request) {
            return FindJson.result(http.json(CouchRequest.of("POST", partitionPath + "_find").json(FindJson.request(request))));
        }

        @Override
        public Explain explain(FindRequest request) {
            return FindJson.explain(http.json(CouchRequest.of("POST", partitionPath + "_explain").json(FindJson.request(request))));
        }

        @Override
        public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
            String ddocName = ddoc.startsWith("_design/") ? ddoc.substring("_design/".length()) : ddoc;
            ViewResult result = ViewJson.result(http.json(CouchRequest.of("POST", partitionPath + "_design/"
                    + UrlEncoding.encode(ddocName) + "/_view/" + UrlEncoding.encode(view)).json(ViewJson.toJson(query))));
            sink.begin(result.totalRows(), result.offset(), result.updateSeq());
            for (ViewRow row : result.rows()) {
                sink.row(row);
            }
        }
    }

    private void readRows(String target, AllDocsOptions options, AllDocsSink sink) {
        Query query = new Query()
                .jsonString("startkey", options.startkey())
                .jsonString("endkey", options.endkey())
                .jsonString("key", options.key())
                .flag("descending", options.descending())
                .flag("include_docs", options.includeDocs())
                .flag("conflicts", options.conflicts())
                .flag("update_seq", options.updateSeq());
        if (!options.inclusiveEnd()) query.add("inclusive_end", "false");
        if (options.skip() > 0) query.add("skip", Long.toString(options.skip()));
        if (options.limit() >= 0) query.add("limit", Long.toString(options.limit()));
        CouchRequest request;
        if (options.keys() != null) {
            ObjectNode body = Json.object();
            body.set("keys", Json.MAPPER.valueToTree(options.keys()));
            request = CouchRequest.of("POST", target).query(query).json(body);
        } else {
            request = CouchRequest.get(target).query(query);
        }
        stream(request, in -> {
            new AllDocsReader().read(in, options.updateSeq(), sink);
            return null;
        });
    }

    @Override
    public ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows) {
        Query query = changesQuery(options);
        CouchRequest request;
        if (options.docIds() != null) {
            query.add("filter", "_doc_ids");
            ObjectNode body = Json.object();
            body.set("doc_ids", Json.MAPPER.valueToTree(options.docIds()));
            request = CouchRequest.of("POST", path + "_changes").query(query).json(body);
        } else {
            request = CouchRequest.get(path + "_changes").query(query);
        }
        return stream(request, in -> new ChangesReader().read(in, rows));
    }

    private Query changesQuery(ChangesOptions options) {
        Query query = new Query();
        if (!options.since().equals(Seq.ZERO)) query.add("since", options.since().toParam());
        if (options.limit() >= 0) query.add("limit", Long.toString(options.limit()));
        query.flag("descending", options.descending())
                .flag("include_docs", options.includeDocs())
                .flag("conflicts", options.conflicts());
        if (options.style() == ChangesOptions.Style.ALL_DOCS) query.add("style", "all_docs");
        if (options.filter() != null) {
            if (options.docIds() != null) {
                throw new ArborException.BadRequest("bad_request", "a changes read takes doc_ids or a filter, not both");
            }
            query.add("filter", options.filter());
            // As CouchDB's replicator sends query_params: beside the feed's own parameters, which win.
            new TreeMap<>(options.queryParams()).forEach((name, value) -> {
                if (!CHANGES_PARAMETERS.contains(name)) {
                    query.add(name, value);
                }
            });
        }
        return query;
    }

    @Override
    public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) {
        JsonNode answer = http.json(CouchRequest.of("POST", path + "_revs_diff").json(Json.MAPPER.valueToTree(revs)));
        Map<String, RevsDiff> out = new LinkedHashMap<>();
        answer.fields().forEachRemaining(entry -> out.put(entry.getKey(), Replies.revsDiff(entry.getValue())));
        return out;
    }

    /**
     * {@code POST /db/_bulk_get}. A server without it (CouchDB before 2.3) answers as for any unknown path:
     * CouchDB 1.x with 400 (a document id may not start with an underscore), others with 404, 405, 415 or 501;
     * those throw {@code bad_request} {@code not_supported}, so a replicator can fall back to {@code open_revs}.
     */
    @Override
    public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) {
        ObjectNode body = Json.object();
        ArrayNode docs = body.putArray("docs");
        for (BulkGetRequest request : requests) {
            ObjectNode entry = docs.addObject().put("id", request.id());
            if (request.rev() != null) entry.put("rev", request.rev());
            if (!request.attsSince().isEmpty()) entry.set("atts_since", Json.MAPPER.valueToTree(request.attsSince()));
        }
        Query query = new Query()
                .flag("revs", options.revs())
                .flag("latest", options.latest())
                .flag("attachments", options.attachments());
        HttpResponse<InputStream> response = http.openAnyStatus(CouchRequest.of("POST", path + "_bulk_get").query(query).json(body));
        if (BULK_GET_UNKNOWN.contains(response.statusCode())) {
            ArborException refusal = CouchHttp.errorOf(response);
            throw new ArborException.BadRequest("not_supported", "the server does not support _bulk_get (HTTP "
                    + response.statusCode() + " " + refusal.error() + ": " + refusal.reason() + ")");
        }
        if (response.statusCode() >= 400) {
            throw CouchHttp.errorOf(response);
        }
        JsonNode answer;
        try (InputStream in = response.body()) {
            answer = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new ArborException.Internal("reading _bulk_get from " + http.root() + " failed: " + e.getMessage(), e);
        }
        List<BulkGetResult> out = new ArrayList<>();
        answer.path("results").forEach(result -> out.add(Replies.bulkGetResult(result)));
        return List.copyOf(out);
    }

    // ---- local documents ---------------------------------------------------------------------

    @Override
    public ObjectNode getLocal(String id) {
        return object(http.json(CouchRequest.get(localPath(id))));
    }

    @Override
    public DocResult.Ok putLocal(ObjectNode doc) {
        if (!doc.path("_id").isTextual()) {
            throw new ArborException.PreconditionFailed("missing_id", "_id is required for puts");
        }
        return Replies.ok(http.json(CouchRequest.of("PUT", localPath(doc.path("_id").asText())).json(doc)));
    }

    @Override
    public void removeLocal(String id, String rev) {
        Query query = new Query();
        if (rev != null) query.add("rev", rev);
        http.call(CouchRequest.delete(localPath(id)).query(query));
    }

    /** Local ids are named in full ({@code _local/x}); a bare {@code x} is taken to mean the same. */
    private String localPath(String id) {
        String bare = id.startsWith(LOCAL_PREFIX) ? id.substring(LOCAL_PREFIX.length()) : id;
        return path + LOCAL_PREFIX + UrlEncoding.encode(bare);
    }

    // ---- attachments -----------------------------------------------------------------------

    /**
     * Two requests: the document (at {@code rev}, or its winner) for the attachment's stub, whose
     * {@code revpos} and digest no attachment header carries, then the data at that same revision, so
     * the metadata and the bytes always belong together.
     */
    @Override
    public AttachmentStream getAttachment(String docId, String attachment, String rev) {
        if (docId.startsWith("_local/")) {
            // As the server would answer the attachment request; the doc read below would only find no stub.
            throw new ArborException.BadRequest("bad_request", "_local documents do not accept attachments.");
        }
        ObjectNode doc = get(docId, rev == null ? GetOptions.DEFAULT : GetOptions.DEFAULT.rev(rev));
        JsonNode stub = doc.path("_attachments").get(attachment);
        if (stub == null) {
            throw new ArborException.NotFound("Document is missing attachment");
        }
        String atRev = doc.path("_rev").asText();
        HttpResponse<InputStream> response = http.open(CouchRequest.get(attachmentPath(docId, attachment))
                .query(new Query().add("rev", atRev))
                .header("Accept", "*/*"));
        long length = response.headers().firstValueAsLong("Content-Length").orElse(stub.path("length").asLong(-1));
        String digest = stub.path("digest").asText(null);
        // CouchDB sends Content-MD5 only where its digest is the MD5 of the bytes it sends (not for gzip-stored data)
        boolean dataMd5 = digest != null && response.headers().firstValue("Content-MD5").map(md5 -> digest.equals("md5-" + md5)).orElse(false);
        return new AttachmentStream(attachment, stub.path("content_type").asText("application/octet-stream"),
                stub.has("length") ? stub.get("length").asLong() : length, digest,
                stub.path("revpos").asLong(), response.body(), dataMd5);
    }

    @Override
    public DocResult.Ok putAttachment(String docId, String rev, String attachment, String contentType, InputStream data) {
        Query query = new Query();
        if (rev != null) query.add("rev", rev);
        String type = contentType == null ? "application/octet-stream" : contentType;
        return Replies.ok(http.json(CouchRequest.of("PUT", attachmentPath(docId, attachment)).query(query)
                .stream(type, () -> data)));
    }

    @Override
    public DocResult.Ok removeAttachment(String docId, String rev, String attachment) {
        Query query = new Query();
        if (rev != null) query.add("rev", rev);
        return Replies.ok(http.json(CouchRequest.delete(attachmentPath(docId, attachment)).query(query)));
    }

    private String attachmentPath(String docId, String attachment) {
        return path + UrlEncoding.docPath(docId) + "/" + UrlEncoding.attachmentPath(attachment);
    }

    // ---- maintenance -----------------------------------------------------------------------

    /**
     * {@code POST /db/_compact} starts compaction in the background on CouchDB; the contract's
     * {@code compact} returns when it is done, so the database's {@code compact_running} is watched
     * until it turns false.
     */
    // ---- Mango ---------------------------------------------------------------------------------

    @Override
    public FindResult find(FindRequest request) {
        return FindJson.result(http.json(CouchRequest.of("POST", path + "_find").json(FindJson.request(request))));
    }

    @Override
    public Explain explain(FindRequest request) {
        return FindJson.explain(http.json(CouchRequest.of("POST", path + "_explain").json(FindJson.request(request))));
    }

    @Override
    public IndexResult createIndex(IndexDefinition definition) {
        return FindJson.indexResult(http.json(CouchRequest.of("POST", path + "_index").json(FindJson.indexDefinition(definition))));
    }

    @Override
    public List<IndexInfo> indexes() {
        return FindJson.indexList(http.json(CouchRequest.get(path + "_index")));
    }

    // ---- views ---------------------------------------------------------------------------------

    private String designPath(String ddoc) {
        String name = ddoc.startsWith("_design/") ? ddoc.substring("_design/".length()) : ddoc;
        return path + "_design/" + UrlEncoding.encode(name) + "/";
    }

    /** Posts the whole query as the body (CouchDB takes every parameter there), so keys of any size fit. */
    @Override
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        ViewResult result = ViewJson.result(http.json(CouchRequest.of("POST",
                designPath(ddoc) + "_view/" + UrlEncoding.encode(view)).json(ViewJson.toJson(query))));
        sink.begin(result.totalRows(), result.offset(), result.updateSeq());
        for (ViewRow row : result.rows()) {
            sink.row(row);
        }
    }

    @Override
    public ViewIndexInfo viewInfo(String ddoc) {
        return ViewJson.info(http.json(CouchRequest.get(designPath(ddoc) + "_info")));
    }

    @Override
    public void viewCleanup() {
        http.call(CouchRequest.of("POST", path + "_view_cleanup").json(dev.arbor.core.json.Json.object()));
    }

    @Override
    public void deleteIndex(String ddoc, String name) {
        String ddocName = ddoc.startsWith("_design/") ? ddoc.substring("_design/".length()) : ddoc;
        http.call(CouchRequest.delete(path + "_index/_design/" + UrlEncoding.encode(ddocName) + "/json/"
                + UrlEncoding.encode(name)));
    }

    /** One {@code POST _index/_bulk_delete}: the server deletes and reports per design document. */
    @Override
    public IndexBulkDeleteResult bulkDeleteIndexes(List<String> ddocs) {
        return FindJson.bulkDeleteResult(http.json(CouchRequest.of("POST", path + "_index/_bulk_delete")
                .json(FindJson.bulkDeleteRequest(ddocs))));
    }

    @Override
    public void compact() {
        http.call(CouchRequest.of("POST", path + "_compact").json(Json.object()));
        long pause = 10;
        while (info().compactRunning()) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArborException.Internal("interrupted while waiting for the compaction of " + name, e);
            }
            pause = Math.min(500, pause * 2);
        }
    }

    @Override
    public PurgeResult purge(Map<String, List<String>> revsByDocId) {
        JsonNode answer = http.json(CouchRequest.of("POST", path + "_purge").json(Json.MAPPER.valueToTree(revsByDocId)));
        Map<String, List<String>> purged = new LinkedHashMap<>();
        answer.path("purged").fields().forEachRemaining(entry -> purged.put(entry.getKey(), Replies.strings(entry.getValue())));
        // CouchDB 3 answers "purge_seq": null (a clustered database has no single one); the database's info has it.
        long purgeSeq = answer.hasNonNull("purge_seq") ? Seq.fromJson(answer.get("purge_seq")).number() : info().purgeSeq();
        return new PurgeResult(purgeSeq, purged);
    }

    @Override
    public ObjectNode getSecurity() {
        return object(http.json(CouchRequest.get(path + "_security")));
    }

    @Override
    public void setSecurity(ObjectNode security) {
        http.call(CouchRequest.of("PUT", path + "_security").json(security));
    }

    @Override
    public int revsLimit() {
        return http.json(CouchRequest.get(path + "_revs_limit")).asInt();
    }

    @Override
    public void setRevsLimit(int limit) {
        http.call(CouchRequest.of("PUT", path + "_revs_limit").json(Json.MAPPER.getNodeFactory().numberNode(limit)));
    }

    @Override
    public Subscription onCommit(Consumer<CommitEvent> listener) {
        return commits.subscribe(listener);
    }

    @Override
    public void close() {
        commits.close();
        if (owner != null) owner.close();
    }

    // ---- plumbing --------------------------------------------------------------------------

    /** The query parameters of a document read. */
    private static Query readQuery(GetOptions options, boolean withRev) {
        Query query = new Query();
        if (withRev && options.rev() != null) query.add("rev", options.rev());
        query.flag("revs", options.revs())
                .flag("revs_info", options.revsInfo())
                .flag("conflicts", options.conflicts())
                .flag("deleted_conflicts", options.deletedConflicts())
                .flag("latest", options.latest())
                .flag("attachments", options.attachments())
                .flag("local_seq", options.localSeq());
        if (!options.attsSince().isEmpty()) query.json("atts_since", Json.MAPPER.valueToTree(options.attsSince()));
        return query;
    }

    /** Sends the request and parses its body while it arrives. */
    private <T> T stream(CouchRequest request, BodyReader<T> reader) {
        HttpResponse<InputStream> response = http.open(request);
        try (InputStream body = response.body()) {
            return reader.read(body);
        } catch (IOException e) {
            throw new ArborException.Internal("reading " + request.method() + " " + request.path() + " from "
                    + http.root() + " failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    private static ObjectNode object(JsonNode node) {
        if (node instanceof ObjectNode object) return object;
        throw new ArborException.Internal("the server answered with " + node.getNodeType() + " where a JSON object belongs", null);
    }

    /** The longpoll feed behind {@link #onCommit}. */
    private final class LongpollSource implements CommitFeed.Source {
        @Override
        public Seq currentSeq() {
            return info().updateSeq();
        }

        @Override
        public CommitFeed.Batch poll(Seq since) {
            Query query = new Query().add("feed", "longpoll").add("since", since.toParam())
                    .add("timeout", Integer.toString(LONGPOLL_TIMEOUT_MILLIS));
            int[] rows = {0};
            ChangesSummary summary = stream(CouchRequest.get(path + "_changes").query(query), in ->
                    new ChangesReader().read(in, row -> rows[0]++));
            // A timed-out longpoll answers last_seq = since on CouchDB, but some servers answer 0: keep our place.
            return new CommitFeed.Batch(rows[0], rows[0] == 0 ? since : summary.lastSeq());
        }
    }
}
