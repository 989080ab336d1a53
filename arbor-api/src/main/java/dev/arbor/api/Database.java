package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexBulkDeleteResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.api.view.ViewSink;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One CouchDB-style database: documents with revision trees, a by-sequence changes log, local
 * documents, attachments. The local engine (RocksDB or in-memory) and, later, the remote HTTP client
 * implement this one contract, so everything written against it runs on a directory or a URL.
 *
 * <p>Semantics are CouchDB 3.x's: method names follow PouchDB's ({@code put}, {@code bulkDocs},
 * {@code allDocs}, {@code changes}, {@code revsDiff}, {@code bulkGet}); option names follow CouchDB's
 * query parameters. Failures are {@link dev.arbor.core.error.ArborException}s.
 *
 * <p>Thread-safety: every method may be called from any thread at any time. Reads see a consistent
 * snapshot; writes are serialised per database and group-committed.
 */
public interface Database extends AutoCloseable {

    /**
     * How the database identifies itself: a local database's name; a remote one's URL without credentials, as
     * CouchDB's replicator names its source and target. {@code info().dbName()} is always the bare name.
     */
    String name();

    DbInfo info();

    // ---- documents -------------------------------------------------------------------------

    /** The winning revision of {@code id}, as {@code {_id, _rev, ...body}}; {@code not_found} (missing or deleted) otherwise. */
    default ObjectNode get(String id) {
        return get(id, GetOptions.DEFAULT);
    }

    /** {@code GET /db/id} with CouchDB's options (rev, revs, revs_info, conflicts, latest, attachments, ...). */
    ObjectNode get(String id, GetOptions options);

    /**
     * {@link #get(String, GetOptions)} as the JSON bytes of that document, for a caller that sends them on (the
     * HTTP server). A database storing bodies as JSON can splice the stored bytes in without building the tree.
     */
    default DocumentJson getJson(String id, GetOptions options) {
        ObjectNode doc = get(id, options);
        return new DocumentJson(doc.path("_rev").asText(), dev.arbor.core.json.Json.bytes(doc));
    }

    /**
     * {@code GET /db/id?open_revs=...}: the named revisions ({@code revs}), or every leaf when
     * {@code revs} is null ({@code open_revs=all}). Each entry is found or missing.
     */
    List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options);

    /** Creates or updates one document; {@code _id} is required ({@link #post} generates one). Throws on conflict. */
    DocResult.Ok put(ObjectNode doc);

    /** Creates a document with a generated id (a random UUID as 32 hex digits, as CouchDB's default). */
    DocResult.Ok post(ObjectNode doc);

    /**
     * A document whose attachments marked {@code "follows": true} arrive as streams, as in CouchDB's
     * {@code multipart/related} PUT (the replicator's way for large attachments). {@code following}
     * maps attachment name to its data, read once, in the order of {@code _attachments}; it is never held
     * whole. With {@code newEdits} false the doc carries its {@code _rev} and {@code _revisions} as in
     * {@link #bulkDocs(List, boolean)}.
     */
    DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following);

    /** Deletes by writing a tombstone revision on top of {@code rev}. */
    DocResult.Ok remove(String id, String rev);

    /**
     * {@code POST /db/_bulk_docs}. With {@code newEdits} true each doc is an edit of its {@code _rev}
     * (a stale or missing rev gives that doc a {@code conflict} result, the others still apply); with
     * {@code newEdits} false each doc carries its revision and {@code _revisions} ancestry and is merged
     * into the tree as is, never conflicting (the replicator's mode). All accepted docs commit together.
     * Results are in request order; with {@code newEdits} false only failures are reported, as CouchDB does.
     */
    List<DocResult> bulkDocs(List<ObjectNode> docs, boolean newEdits);

    default List<DocResult> bulkDocs(List<ObjectNode> docs) {
        return bulkDocs(docs, true);
    }

    /**
     * Writes several documents atomically: every edit commits in one batch, or none does and the call throws the
     * first failing edit's error (a stale revision is a {@code conflict} whose reason names the edit's position and
     * document id). Each {@link AtomicWrite.Edit} is checked against its {@code _rev} as {@link #put} checks it.
     * The collections' transactions are built on this.
     *
     * <p>CouchDB 3 has no such write ({@code all_or_nothing} was dropped from {@code _bulk_docs} in CouchDB 2.0),
     * so a backend that only speaks CouchDB's HTTP API, such as the remote client, refuses with
     * {@code not_supported}.
     *
     * @return the new revisions, in request order
     */
    default List<DocResult.Ok> bulkDocsAllOrNothing(List<AtomicWrite> writes) {
        throw new dev.arbor.core.error.ArborException.BadRequest("not_supported", "database " + name()
                + " cannot write several documents atomically on this backend (CouchDB has no all_or_nothing since 2.0)");
    }

    /** {@code _all_docs}, streamed: {@code sink.begin} once, then each row in order. */
    void allDocs(AllDocsOptions options, AllDocsSink sink);

    default AllDocsResult allDocs(AllDocsOptions options) {
        var collector = new AllDocsResult.Collector();
        allDocs(options, collector);
        return collector.result();
    }

    /** {@code _changes} (normal feed), streamed: each row in seq order; returns last_seq and pending. */
    ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows);

    default ChangesResult changes(ChangesOptions options) {
        List<ChangeRow> rows = new ArrayList<>();
        ChangesSummary summary = changes(options, rows::add);
        return new ChangesResult(rows, summary.lastSeq(), summary.pending());
    }

    /** {@code _revs_diff}: for each doc id, which of the given revisions this database lacks. */
    Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs);

    /** {@code _bulk_get}: each requested doc (at a rev, or its winner), optionally with {@code _revisions}. */
    List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options);

    // ---- local documents: never in changes, never replicated -------------------------------

    ObjectNode getLocal(String id);

    /**
     * Writes {@code _local/<id>}; revisions are {@code 0-N}. As in CouchDB 3, the new revision is the one the doc
     * names ({@code _revisions} over {@code _rev}) plus one, and is not checked against the stored one: no conflict.
     * A rev that is not {@code 0-N} is 400 "Invalid rev format".
     */
    DocResult.Ok putLocal(ObjectNode doc);

    /** Removes a local doc whatever {@code rev} names, as CouchDB does; a missing one is not found. */
    void removeLocal(String id, String rev);

    /** {@code _local_docs}, streamed like {@link #allDocs}. */
    void localDocs(AllDocsOptions options, AllDocsSink sink);

    // ---- attachments -----------------------------------------------------------------------

    /** An attachment of the winning revision (or of {@code rev} when not null), streamed. Close it. */
    AttachmentStream getAttachment(String docId, String name, String rev);

    /** Adds or replaces one attachment, making a new revision of {@code docId} on top of {@code rev}. The data is streamed. */
    DocResult.Ok putAttachment(String docId, String rev, String name, String contentType, InputStream data);

    DocResult.Ok removeAttachment(String docId, String rev, String name);

    // ---- Mango queries and indexes -------------------------------------------------------------

    /**
     * {@code POST /db/_find}: the documents matching the request's selector, in its sort order, a page at a
     * time. The planner picks the best usable index (see {@link #explain}); a query brings that index up to
     * date first unless {@code update} is false. A malformed selector, sort or bookmark is a
     * {@code bad_request}-family error with CouchDB's token and reason.
     *
     * <p>A sort no usable index gives is refused with CouchDB's {@code no_usable_index}. Design documents are
     * never answered.
     */
    FindResult find(FindRequest request);

    /**
     * {@link #find(FindRequest)}, handed over as JSON bytes: a database storing bodies as JSON can send a
     * document's stored bytes on without parsing them.
     */
    default void find(FindRequest request, dev.arbor.api.find.FindSink sink) {
        FindResult result = find(request);
        for (ObjectNode doc : result.docs()) {
            sink.doc(dev.arbor.core.json.Json.bytes(doc));
        }
        sink.end(result.bookmark(), result.warnings(), result.executionStats());
    }

    /** {@code POST /db/_explain}: how {@link #find} would answer the request, without running it. */
    Explain explain(FindRequest request);

    /**
     * {@code POST /db/_index}: defines a {@code json} index in a design document ({@code language: "query"}), as
     * CouchDB stores it. Creating an index identical to an existing one of the same name answers {@code exists}.
     * The index is built lazily, by the first query that uses it.
     */
    IndexResult createIndex(IndexDefinition definition);

    /** {@code GET /db/_index}: {@code _all_docs} first, then every Mango index, by design document and name. */
    List<IndexInfo> indexes();

    /**
     * {@code DELETE /db/_index/{ddoc}/json/{name}}: removes the index from its design document (the design
     * document goes when it holds nothing else) and drops its rows. {@code not_found} when there is no such index.
     */
    void deleteIndex(String ddoc, String name);

    /**
     * {@code POST /db/_index/_bulk_delete}: deletes the Mango index of each named design document (with or without
     * {@code _design/}), one design document after another; one that fails does not stop the others. As in CouchDB,
     * a design document is deleted from only when it holds exactly one index: one with none fails with
     * {@code not_found}, one with several is left whole and fails with {@code multiple_indexes} (CouchDB's
     * {@code mango_idx:delete} matches exactly one index there and otherwise crashes the request with a 500
     * {@code case_clause}, after the design documents before it; here the others go on and it is reported).
     */
    default IndexBulkDeleteResult bulkDeleteIndexes(List<String> ddocs) {
        List<String> deleted = new java.util.ArrayList<>();
        List<IndexBulkDeleteResult.Failure> failed = new java.util.ArrayList<>();
        List<IndexInfo> all = indexes();
        for (String name : ddocs) {
            String ddoc = name.startsWith("_design/") ? name : "_design/" + name;
            List<IndexInfo> held = all.stream().filter(i -> ddoc.equals(i.ddoc())).toList();
            if (held.size() != 1) {
                failed.add(new IndexBulkDeleteResult.Failure(ddoc, held.isEmpty() ? "not_found" : "multiple_indexes"));
                continue;
            }
            try {
                deleteIndex(ddoc, held.get(0).name());
                deleted.add(ddoc);
            } catch (dev.arbor.core.error.ArborException e) {
                failed.add(new IndexBulkDeleteResult.Failure(ddoc, e.error()));
            }
        }
        return new IndexBulkDeleteResult(deleted, failed);
    }

    // ---- views ---------------------------------------------------------------------------------

    /**
     * {@code GET /db/_design/{ddoc}/_view/{view}}: a JavaScript view's rows (or reductions), streamed. {@code ddoc}
     * is named with or without its {@code _design/} prefix. The index catches up with the database first unless
     * {@code query.update()} says otherwise. {@code not_found} (reason {@code missing}) for a missing design
     * document, {@code missing_named_view} for a missing view; CouchDB's {@code query_parse_error} for invalid
     * parameter combinations.
     */
    void query(String ddoc, String view, ViewQuery query, ViewSink sink);

    default ViewResult query(String ddoc, String view, ViewQuery query) {
        var collector = new ViewResult.Collector();
        query(ddoc, view, query, collector);
        return collector.result();
    }

    /**
     * Registers a typed Java view (idempotent: the same name and version give the same index) and returns its
     * handle. Eager and unique views are brought up to date before this returns; a unique view over documents that
     * already share a key is refused ({@code 409 conflict}). Java code runs where it is defined, so only embedded
     * databases have typed views; others refuse them.
     */
    default <K, V> ViewHandle<K, V> view(TypedView<K, V> view) {
        throw new ArborException.BadRequest("not_supported",
                "typed views run where their Java code is: open the database embedded to use view " + view.name());
    }

    /**
     * Registers typed views together, each as {@link #view} does, and returns their handles in the same order.
     * Views registered together share their index passes: a document is read and decoded once for all of them
     * (each keeps its own index and version). {@code ArborOptions.views} registers its list this way.
     */
    default List<ViewHandle<?, ?>> views(List<? extends TypedView<?, ?>> views) {
        List<ViewHandle<?, ?>> handles = new ArrayList<>(views.size());
        views.forEach(view -> handles.add(view(view)));
        return handles;
    }

    /** {@code GET /db/_design/{ddoc}/_info}: the state of the design document's view index. */
    ViewIndexInfo viewInfo(String ddoc);

    /** {@code POST /db/_view_cleanup}: drops the indexes of views no design document defines any more. */
    void viewCleanup();
    // ---- partitions ----------------------------------------------------------------------------

    /**
     * This partitioned database seen through one partition ({@code /db/_partition/{name}}), as RouchDB's
     * {@code db.partition(name)}: info, {@code _all_docs}, {@code _find} and {@code _explain} over that
     * partition's documents only. {@code bad_request} "database is not partitioned" on a database that is not;
     * {@code illegal_partition} for a name that cannot be a partition (empty, leading underscore, colon).
     */
    Partition partition(String name);

    // ---- maintenance -----------------------------------------------------------------------

    /** Drops bodies of non-leaf revisions and attachment data no leaf refers to. */
    void compact();

    /** {@code _purge}: removes the named leaf revisions (and the doc when none is left), as if never written. */
    PurgeResult purge(Map<String, List<String>> revsByDocId);

    ObjectNode getSecurity();

    void setSecurity(ObjectNode security);

    int revsLimit();

    void setRevsLimit(int limit);

    // ---- key-value store and pub/sub (BonsaiDb's) -----------------------------------------

    /**
     * The database's atomic key-value store: its own key space, written through the database's writer.
     * Optional: a backend without one (the remote client, for now) refuses with {@code not_supported}.
     */
    default dev.arbor.api.keyvalue.KeyValueStore keyValue() {
        throw new dev.arbor.core.error.ArborException.BadRequest("not_supported",
                "database " + name() + " has no key-value store on this backend");
    }

    /**
     * The database's in-process publish/subscribe, which also carries its changes feed
     * ({@link dev.arbor.api.pubsub.Topic#CHANGES}). Optional, like {@link #keyValue()}.
     */
    default dev.arbor.api.pubsub.PubSub pubSub() {
        throw new dev.arbor.core.error.ArborException.BadRequest("not_supported",
                "database " + name() + " has no pub/sub on this backend");
    }

    /** Called on the writer's thread after each commit; keep it short and never block in it. */
    Subscription onCommit(Consumer<CommitEvent> listener);

    @Override
    void close();
}
