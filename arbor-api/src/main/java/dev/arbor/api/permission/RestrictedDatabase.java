package dev.arbor.api.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
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
import dev.arbor.api.PartitionInfo;
import dev.arbor.api.PurgeResult;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Seq;
import dev.arbor.api.Subscription;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.ExecutionStats;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.FindSink;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A database as a caller sees it who may read only some of its documents and write only some: every read path
 * shows those documents alone, and answers as a database holding only them would, so nothing about the others
 * leaks.
 * <ul>
 *   <li>A document the caller may not read answers as a missing one: {@code not_found}/{@code missing} from a get,
 *       {@code _bulk_get}, {@code open_revs} and attachments; a {@code not_found} row from {@code _all_docs?keys};
 *       every revision missing from {@code _revs_diff}.</li>
 *   <li>{@code _all_docs} and {@code doc_count} are read from the caller's own ids and prefixes only, so
 *       {@code total_rows}, {@code offset} and the counts are those of the visible documents.</li>
 *   <li>{@code _changes} shows only visible rows; a live feed woken by a write it may not see finds no row and goes
 *       on waiting, so when it answers tells nothing either. Sequence numbers are positions in the database's one
 *       log, as in CouchDB's own filtered feeds: they say that writes happened, never which.</li>
 *   <li>{@code _find} runs with the caller's access added to the selector, so limit, skip and bookmarks count
 *       visible documents only; its execution statistics report results and time, not how many documents were
 *       examined (that would count the others).</li>
 *   <li>Views show the rows emitted by visible documents, with {@code total_rows} and {@code offset} counted over
 *       those; a reduction is computed by the backend from those rows alone ({@link dev.arbor.api.Views#reduceOver}),
 *       never read from the stored reductions, which summarize every document. A backend that cannot (a remote
 *       database, a partition query) refuses the reduction (403 {@code forbidden}: query with {@code reduce=false}).
 *       The design document must be readable to query its views, as any other document.</li>
 *   <li>Writes to documents outside the caller's write access are {@code forbidden}, one by one in a bulk write.</li>
 * </ul>
 * Local documents ({@code _local/...}: replication checkpoints) are not replicated, listed or counted, and pass
 * through, so a restricted caller can replicate. Typed views, atomic multi-document writes, the key-value store and
 * pub/sub are not offered: this database cannot vouch for what they would show. Thread-safe as its base is.
 */
public final class RestrictedDatabase implements Database {
    private static final String DESIGN_PREFIX = "_design/";

    private final Database base;
    private final DocumentAccess read;
    private final DocumentAccess write;

    private RestrictedDatabase(Database base, DocumentAccess read, DocumentAccess write) {
        this.base = base;
        this.read = read;
        this.write = write;
    }

    /** {@code base} as a caller with these accesses sees it; {@code base} itself when both are every document. */
    public static Database of(Database base, DocumentAccess read, DocumentAccess write) {
        if (read instanceof DocumentAccess.All && write instanceof DocumentAccess.All) {
            return base;
        }
        return new RestrictedDatabase(base, read, write);
    }

    @Override
    public String name() {
        return base.name();
    }

    // ---- what the database tells about itself

    @Override
    public DbInfo info() {
        DbInfo info = base.info();
        if (read instanceof DocumentAccess.All) {
            return info;
        }
        Counts counts = counts(null);
        // Sizes would weigh the documents the caller may not see: none is reported.
        return new DbInfo(info.dbName(), counts.live, counts.deleted, info.updateSeq(), info.purgeSeq(), 0, 0, 0,
                info.compactRunning(), info.partitioned());
    }

    private record Counts(long live, long deleted) {
    }

    /** Live documents from their ids; deleted ones from the changes log, the only place a deletion is listed. */
    private Counts counts(String scope) {
        long live = visibleIds(scope).size();
        long[] deleted = new long[1];
        base.changes(ChangesOptions.DEFAULT, row -> {
            if (row.deleted() && read.includes(row.id()) && (scope == null || row.id().startsWith(scope))) {
                deleted[0]++;
            }
        });
        return new Counts(live, deleted[0]);
    }

    private List<String> visibleIds(String scope) {
        return switch (read) {
            case DocumentAccess.None none -> List.of();
            case DocumentAccess.Some some -> VisibleIds.of(base, some, scope);
            case DocumentAccess.All all -> {
                List<String> ids = new ArrayList<>();
                AllDocsOptions options = scope == null ? AllDocsOptions.DEFAULT
                        : AllDocsOptions.DEFAULT.startkey(scope).endkey(scope + "\uDBFF\uDFFF");
                base.allDocs(options, new AllDocsSink() {
                    @Override
                    public void begin(long totalRows, long offset, Seq updateSeq) {
                    }

                    @Override
                    public void row(AllDocsRow row) {
                        ids.add(row.id());
                    }
                });
                yield ids;
            }
        };
    }

    @Override
    public Partition partition(String name) {
        if (read instanceof DocumentAccess.All) {
            return base.partition(name);
        }
        return new RestrictedPartition(base.partition(name));
    }

    // ---- documents

    private boolean readable(String id) {
        return isLocal(id) || read.includes(id);
    }

    private static boolean isLocal(String id) {
        return id != null && id.startsWith("_local/");
    }

    private void checkWritable(String id) {
        if (id == null || !(isLocal(id) || write.includes(id))) {
            throw new ArborException.Forbidden(forbiddenWrite(id));
        }
    }

    private static String forbiddenWrite(String id) {
        return id == null ? "You may write only documents with ids you are given." : "You are not allowed to write " + id + ".";
    }

    @Override
    public ObjectNode get(String id, GetOptions options) {
        if (!readable(id)) {
            throw new ArborException.NotFound("missing");
        }
        return base.get(id, options);
    }

    @Override
    public DocumentJson getJson(String id, GetOptions options) {
        if (!readable(id)) {
            throw new ArborException.NotFound("missing");
        }
        return base.getJson(id, options);
    }

    @Override
    public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) {
        if (readable(id)) {
            return base.getOpenRevs(id, revs, options);
        }
        if (revs == null) {
            throw new ArborException.NotFound("missing");
        }
        return revs.stream().distinct().<OpenRev>map(OpenRev.Missing::new).toList();
    }

    @Override
    public DocResult.Ok put(ObjectNode doc) {
        checkWritable(doc.path("_id").textValue());
        return base.put(doc);
    }

    @Override
    public DocResult.Ok post(ObjectNode doc) {
        checkWritable(doc.path("_id").textValue());
        return base.post(doc);
    }

    @Override
    public DocResult.Ok putWithAttachments(ObjectNode doc, boolean newEdits, Map<String, InputStream> following) {
        checkWritable(doc.path("_id").textValue());
        return base.putWithAttachments(doc, newEdits, following);
    }

    @Override
    public DocResult.Ok remove(String id, String rev) {
        checkWritable(id);
        return base.remove(id, rev);
    }

    /** The writable documents are written in one call; the others are answered {@code forbidden} in their place. */
    @Override
    public List<DocResult> bulkDocs(List<ObjectNode> docs, boolean newEdits) {
        List<ObjectNode> allowed = new ArrayList<>();
        DocResult[] refused = new DocResult[docs.size()];
        for (int i = 0; i < docs.size(); i++) {
            String id = docs.get(i).path("_id").textValue();
            if (id != null && (isLocal(id) || write.includes(id))) {
                allowed.add(docs.get(i));
            } else {
                refused[i] = new DocResult.Error(id, null, "forbidden", forbiddenWrite(id));
            }
        }
        List<DocResult> written = allowed.isEmpty() ? List.of() : base.bulkDocs(allowed, newEdits);
        if (!newEdits && written.size() != allowed.size()) {
            // Replicated writes answer only their failures; ours are added to them.
            List<DocResult> results = new ArrayList<>(written);
            for (DocResult r : refused) {
                if (r != null) {
                    results.add(r);
                }
            }
            return results;
        }
        List<DocResult> results = new ArrayList<>(docs.size());
        int next = 0;
        for (DocResult r : refused) {
            results.add(r != null ? r : written.get(next++));
        }
        return results;
    }

    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) {
        if (read instanceof DocumentAccess.All) {
            base.allDocs(options, sink);
            return;
        }
        allDocs(options, sink, null, base.info().updateSeq());
    }

    /** {@code _all_docs} of the visible documents (within {@code scope}, a partition's prefix, when not null). */
    private void allDocs(AllDocsOptions options, AllDocsSink sink, String scope, Seq updateSeq) {
        List<String> visible = visibleIds(scope);
        Seq seq = options.updateSeq() ? updateSeq : null;
        if (options.keys() != null) {
            sink.begin(visible.size(), 0, seq);
            List<String> readableKeys = options.keys().stream()
                    .filter(key -> read.includes(key) && (scope == null || key.startsWith(scope))).toList();
            Map<String, List<AllDocsRow>> found = new LinkedHashMap<>();
            if (!readableKeys.isEmpty()) {
                base.allDocs(AllDocsOptions.DEFAULT.keys(readableKeys).includeDocs(options.includeDocs())
                        .conflicts(options.conflicts()), collector(row -> found.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row)));
            }
            for (String key : options.keys()) {
                List<AllDocsRow> rows = found.get(key);
                sink.row(rows == null || rows.isEmpty() ? AllDocsRow.notFound(key) : rows.remove(0));
            }
            return;
        }
        List<String> inRange = VisibleIds.inRange(visible, options);
        int from = (int) Math.min(options.skip(), inRange.size());
        int to = options.limit() < 0 ? inRange.size() : (int) Math.min(inRange.size(), from + options.limit());
        sink.begin(visible.size(), Math.min(visible.size(), before(visible, options) + options.skip()), seq);
        List<String> page = inRange.subList(from, to);
        if (!page.isEmpty()) {
            base.allDocs(AllDocsOptions.DEFAULT.keys(page).includeDocs(options.includeDocs()).conflicts(options.conflicts()),
                    collector(sink::row));
        }
    }

    /** The visible ids before the range's start in the order asked for: CouchDB's offset, before skip. */
    private static long before(List<String> visible, AllDocsOptions options) {
        String start = options.key() != null ? options.key() : options.startkey();
        if (start == null) {
            return 0;
        }
        return visible.stream().filter(id -> options.descending()
                ? VisibleIds.ID_ORDER.compare(id, start) > 0 : VisibleIds.ID_ORDER.compare(id, start) < 0).count();
    }

    private static AllDocsSink collector(Consumer<AllDocsRow> rows) {
        return new AllDocsSink() {
            @Override
            public void begin(long totalRows, long offset, Seq updateSeq) {
            }

            @Override
            public void row(AllDocsRow row) {
                rows.accept(row);
            }
        };
    }

    @Override
    public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) {
        Map<String, List<String>> visible = new LinkedHashMap<>();
        Map<String, RevsDiff> hidden = new LinkedHashMap<>();
        revs.forEach((id, list) -> {
            if (readable(id)) {
                visible.put(id, list);
            } else {
                hidden.put(id, new RevsDiff(List.copyOf(list), List.of()));
            }
        });
        Map<String, RevsDiff> result = new LinkedHashMap<>(visible.isEmpty() ? Map.of() : base.revsDiff(visible));
        result.putAll(hidden);
        return result;
    }

    @Override
    public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) {
        List<BulkGetRequest> visible = requests.stream().filter(r -> r.id() == null || readable(r.id())).toList();
        List<BulkGetResult> fromBase = visible.isEmpty() ? List.of() : base.bulkGet(visible, options);
        List<BulkGetResult> results = new ArrayList<>(requests.size());
        int next = 0;
        for (BulkGetRequest request : requests) {
            if (request.id() == null || readable(request.id())) {
                results.add(fromBase.get(next++));
            } else {
                results.add(new BulkGetResult(request.id(), List.of(new BulkGetResult.Error(request.id(),
                        request.rev() == null ? "undefined" : request.rev(), "not_found", "missing"))));
            }
        }
        return results;
    }

    // ---- local documents: the caller's own bookkeeping (replication checkpoints), not listed anywhere else

    @Override
    public ObjectNode getLocal(String id) {
        return base.getLocal(id);
    }

    @Override
    public DocResult.Ok putLocal(ObjectNode doc) {
        return base.putLocal(doc);
    }

    @Override
    public void removeLocal(String id, String rev) {
        base.removeLocal(id, rev);
    }

    @Override
    public void localDocs(AllDocsOptions options, AllDocsSink sink) {
        base.localDocs(options, sink);
    }

    // ---- attachments

    @Override
    public AttachmentStream getAttachment(String docId, String name, String rev) {
        if (!readable(docId)) {
            throw new ArborException.NotFound("missing");
        }
        return base.getAttachment(docId, name, rev);
    }

    @Override
    public DocResult.Ok putAttachment(String docId, String rev, String name, String contentType, InputStream data) {
        checkWritable(docId);
        return base.putAttachment(docId, rev, name, contentType, data);
    }

    @Override
    public DocResult.Ok removeAttachment(String docId, String rev, String name) {
        checkWritable(docId);
        return base.removeAttachment(docId, rev, name);
    }

    // ---- changes

    /**
     * Reads the log in runs until the caller's limit of visible rows is met, so a small limit does not read the whole
     * log past {@code since}, nor a large database's invisible rows in one pass.
     */
    @Override
    public ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows) {
        if (read instanceof DocumentAccess.All) {
            return base.changes(options, rows);
        }
        if (options.descending() || options.limit() < 0) {
            long[] pending = new long[1];
            long[] sent = new long[1];
            Seq[] last = new Seq[1];
            ChangesSummary summary = base.changes(options.limit(-1), row -> {
                if (!read.includes(row.id())) {
                    return;
                }
                if (options.limit() < 0 || sent[0] < options.limit()) {
                    sent[0]++;
                    last[0] = row.seq();
                    rows.accept(row);
                } else {
                    pending[0]++;
                }
            });
            boolean cut = options.limit() >= 0 && pending[0] > 0;
            // A descending feed has nothing pending after its last row, as CouchDB counts it.
            return new ChangesSummary(cut ? last[0] : summary.lastSeq(), options.descending() ? 0 : pending[0]);
        }
        long wanted = options.limit();
        long run = Math.max(100, wanted);
        Seq since = options.since();
        long sent = 0;
        while (true) {
            long[] sentInRun = {0};
            Seq[] last = {null};
            long before = sent;
            long budget = wanted - sent;
            ChangesSummary summary = base.changes(options.since(since).limit(run), row -> {
                if (read.includes(row.id()) && sentInRun[0] < budget) {
                    sentInRun[0]++;
                    last[0] = row.seq();
                    rows.accept(row);
                }
            });
            sent = before + sentInRun[0];
            if (sent >= wanted) {
                // Pending counts the visible rows after the last one sent: one more pass over the rest of the log.
                Seq resumeFrom = last[0] != null ? last[0] : since;
                long[] pending = {0};
                base.changes(ChangesOptions.DEFAULT.since(resumeFrom).style(options.style()).docIds(options.docIds())
                        .filter(options.filter()).queryParams(options.queryParams()), row -> {
                    if (read.includes(row.id())) {
                        pending[0]++;
                    }
                });
                return new ChangesSummary(resumeFrom, pending[0]);
            }
            if (summary.pending() == 0) {
                return new ChangesSummary(summary.lastSeq(), 0);
            }
            since = summary.lastSeq();
        }
    }

    @Override
    public Subscription onCommit(Consumer<CommitEvent> listener) {
        return base.onCommit(listener);
    }

    // ---- Mango

    /** The request with the caller's access added to its selector, so the engine counts and pages visible documents. */
    private FindRequest restricted(FindRequest request) {
        if (read instanceof DocumentAccess.All) {
            return request;
        }
        ObjectNode selector = Json.object();
        ArrayNode and = selector.putArray("$and");
        and.add(request.selector());
        and.add(accessSelector());
        return new FindRequest(selector, request.fields(), request.sort(), request.limit(), request.skip(),
                request.bookmark(), request.executionStats(), request.r(), request.conflicts(), request.update(),
                request.stable(), request.useIndex());
    }

    private JsonNode accessSelector() {
        ObjectNode selector = Json.object();
        switch (read) {
            case DocumentAccess.All all -> throw new IllegalStateException("every document is visible");
            case DocumentAccess.None none -> selector.putObject("_id").putArray("$in");
            case DocumentAccess.Some some -> {
                ArrayNode or = selector.putArray("$or");
                if (!some.ids().isEmpty()) {
                    ArrayNode in = or.addObject().putObject("_id").putArray("$in");
                    some.ids().forEach(in::add);
                }
                for (String prefix : some.prefixes()) {
                    or.addObject().putObject("_id").put("$beginsWith", prefix);
                }
            }
        }
        return selector;
    }

    private static ExecutionStats withoutExamined(ExecutionStats stats) {
        return stats == null ? null : new ExecutionStats(0, 0, 0, stats.resultsReturned(), stats.executionTimeMs());
    }

    @Override
    public FindResult find(FindRequest request) {
        FindResult result = base.find(restricted(request));
        return new FindResult(result.docs(), result.bookmark(), result.warnings(), withoutExamined(result.executionStats()));
    }

    @Override
    public void find(FindRequest request, FindSink sink) {
        base.find(restricted(request), new FindSink() {
            @Override
            public void doc(byte[] json) {
                sink.doc(json);
            }

            @Override
            public void end(String bookmark, List<String> warnings, ExecutionStats executionStats) {
                sink.end(bookmark, warnings, withoutExamined(executionStats));
            }
        });
    }

    /** Explained as asked: the plan names indexes and fields, never documents. */
    @Override
    public Explain explain(FindRequest request) {
        return base.explain(request);
    }

    @Override
    public IndexResult createIndex(IndexDefinition definition) {
        checkWritable(definition.ddoc() == null ? DESIGN_PREFIX : designId(definition.ddoc()));
        return base.createIndex(definition);
    }

    @Override
    public List<IndexInfo> indexes() {
        return base.indexes().stream().filter(index -> index.ddoc() == null || readable(index.ddoc())).toList();
    }

    @Override
    public void deleteIndex(String ddoc, String name) {
        checkWritable(designId(ddoc));
        base.deleteIndex(ddoc, name);
    }

    private static String designId(String ddoc) {
        return ddoc.startsWith(DESIGN_PREFIX) ? ddoc : DESIGN_PREFIX + ddoc;
    }

    // ---- views

    @Override
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        RestrictedViews.query(base::query, base::reduceOver, base, read, ddoc, view, query, sink);
    }

    @Override
    public void reduceOver(String ddoc, String view, ViewQuery query, java.util.function.Predicate<String> emittedBy,
                           ViewSink sink) {
        if (!readable(designId(ddoc))) {
            throw new ArborException.NotFound("missing");
        }
        base.reduceOver(ddoc, view, query, id -> read.includes(id) && emittedBy.test(id), sink);
    }

    @Override
    public ViewIndexInfo viewInfo(String ddoc) {
        if (!readable(designId(ddoc))) {
            throw new ArborException.NotFound("missing");
        }
        return base.viewInfo(ddoc);
    }

    @Override
    public void viewCleanup() {
        base.viewCleanup();
    }

    // ---- maintenance: database admins' operations, decided before a restricted caller gets here

    @Override
    public void compact() {
        base.compact();
    }

    @Override
    public PurgeResult purge(Map<String, List<String>> revsByDocId) {
        revsByDocId.keySet().forEach(this::checkWritable);
        return base.purge(revsByDocId);
    }

    @Override
    public ObjectNode getSecurity() {
        return base.getSecurity();
    }

    @Override
    public void setSecurity(ObjectNode security) {
        base.setSecurity(security);
    }

    @Override
    public java.util.Optional<String> encryptionKey() {
        return base.encryptionKey();
    }

    @Override
    public int revsLimit() {
        return base.revsLimit();
    }

    @Override
    public void setRevsLimit(int limit) {
        base.setRevsLimit(limit);
    }

    @Override
    public void close() {
        base.close();
    }

    /** One partition of the restricted database: its visible documents only. */
    private final class RestrictedPartition implements Partition {
        private final Partition partition;
        private final String scope;

        RestrictedPartition(Partition partition) {
            this.partition = partition;
            this.scope = partition.name() + ":";
        }

        @Override
        public Database database() {
            return RestrictedDatabase.this;
        }

        @Override
        public String name() {
            return partition.name();
        }

        @Override
        public PartitionInfo info() {
            PartitionInfo info = partition.info();
            Counts counts = counts(scope);
            return new PartitionInfo(info.dbName(), info.partition(), counts.live, counts.deleted, 0, 0);
        }

        @Override
        public void allDocs(AllDocsOptions options, AllDocsSink sink) {
            RestrictedDatabase.this.allDocs(options, sink, scope, base.info().updateSeq());
        }

        @Override
        public FindResult find(FindRequest request) {
            FindResult result = partition.find(restricted(request));
            return new FindResult(result.docs(), result.bookmark(), result.warnings(), withoutExamined(result.executionStats()));
        }

        @Override
        public Explain explain(FindRequest request) {
            return partition.explain(request);
        }

        @Override
        public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
            RestrictedViews.query(partition::query, null, base, read, ddoc, view, query, sink);
        }
    }
}
