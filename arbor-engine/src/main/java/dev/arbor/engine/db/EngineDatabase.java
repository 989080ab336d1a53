package dev.arbor.engine.db;

import dev.arbor.engine.kv.ClosedDatabase;

import dev.arbor.api.Partition;
import dev.arbor.api.PartitionInfo;
import dev.arbor.api.Seq;
import dev.arbor.core.doc.Partitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.DocumentJson;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.CommitEvent;
import dev.arbor.api.AtomicWrite;
import dev.arbor.api.AtomicWrites;
import dev.arbor.api.Database;
import dev.arbor.api.TypedViews;
import dev.arbor.api.hook.DatabaseHook;
import dev.arbor.api.DbInfo;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.PurgeResult;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Subscription;
import dev.arbor.api.kv.KeyValueStore;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Topic;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.core.doc.DocumentParser;
import dev.arbor.core.doc.ParsedDoc;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.rev.Leaf;
import dev.arbor.core.rev.Rev;
import dev.arbor.KeyValueOptions;
import dev.arbor.WriteLimits;
import dev.arbor.engine.keyvalue.KeyValueService;
import dev.arbor.engine.keyvalue.KeyValueWrites;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.engine.pubsub.EnginePubSub;
import dev.arbor.engine.mango.MangoQueries;
import dev.arbor.engine.view.TypedViewRegistry;
import dev.arbor.engine.view.JavaScriptViews;
import dev.arbor.engine.changes.DesignFilters;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.engine.validate.DocValidation;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewSink;
import dev.arbor.js.JsOptions;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Function;

/**
 * A database of the embedded engine, on any {@link KvStore} (RocksDB or memory).
 *
 * <p>Threads: reads run on the caller's thread against a store snapshot (or a single get, which is
 * its own snapshot) and take no lock. Writes go through the {@link DatabaseWriter}: one caller at a
 * time holds its commit lock and group-commits every write queued so far, its own and the others'.
 * Commit listeners run on that committing thread.
 */
public final class EngineDatabase implements Database, AtomicWrites, TypedViews {
    private static final System.Logger LOG = System.getLogger(EngineDatabase.class.getName());

    private final String name;
    private final KvStore store;
    private final DatabaseWriter writer;
    private final AttachmentStore attachments;
    private final DocWrites writes;
    private final List<Consumer<CommitEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Runnable onClose;
    private final KeyValueOptions keyValueOptions;
    /** Created on the first {@link #keyValue()}, so databases that never use it start no thread. Guarded by this. */
    private KeyValueService keyValues;
    private final EnginePubSub pubSub = new EnginePubSub();
    private final MangoQueries mango;
    private final JavaScriptViews views;
    private final TypedViewRegistry typedViews;
    private final DocValidation validation;
    private final DesignFilters designFilters;
    private final boolean partitioned;
    /** Set once by the storage right after construction, before the database is handed out. */
    private volatile WriteHooks hooks;
    private final WriteLimitCheck limits;
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
        this.name = name;
        this.limits = new WriteLimitCheck(limits);
        this.keyValueOptions = keyValueOptions;
        this.store = store;
        this.onClose = onClose;
        this.attachments = new AttachmentStore(store);
        this.writes = new DocWrites(attachments);
        DbState initial = DbState.decode(store.get(Space.META, Keys.META_STATE));
        this.validation = new DocValidation(name, store, this::getSecurity, JsOptions.defaults());
        this.designFilters = new DesignFilters(name, JsOptions.defaults());
        this.writer = new DatabaseWriter(store, initial, sync, this::committed, validation::designDocumentsChanged);
        this.partitioned = DatabaseProps.read(store).partitioned();
        this.views = new JavaScriptViews(store, JsOptions.defaults(), partitioned);
        this.typedViews = new TypedViewRegistry(store, this, task -> writer.submitExclusive(ctx -> {
            task.run();
            return null;
        }));
        this.writer.commitIndexer(typedViews);
        this.mango = new MangoQueries(this, store, writer::state, partitioned);
        this.hooks = new WriteHooks(name, List.of());
    }

    /** Registers the hooks every document write of this database runs (see {@link DatabaseHook}); called at open. */
    public void useHooks(List<DatabaseHook> databaseHooks) {
        this.hooks = new WriteHooks(name, databaseHooks);
    }

    private void committed(DbState state) {
        CommitEvent event = new CommitEvent(name, state.updateSeq());
        pubSub.publishSystem(Topic.CHANGES, event);
        for (Consumer<CommitEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "commit listener of " + name + " failed", e);
            }
        }
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

    /** In a partitioned database every id but {@code _design/} and {@code _local/} ones names its partition. */
    private String checkId(String id) {
        return partitioned && id != null ? Partitions.validateDocId(id) : id;
    }

    // ---- reads ---------------------------------------------------------------------------------

    private static DocRecord docRecord(KvReader reader, String id) {
        byte[] bytes = reader.get(Space.DOCS, Keys.docId(id));
        return bytes == null ? null : DocRecord.decode(bytes);
    }

    private static RevRecord revRecord(KvReader reader, String id, DocRecord doc, Rev rev) {
        if (doc.winner().rev().equals(rev)) {
            return doc.winnerRecord();
        }
        byte[] bytes = reader.get(Space.REVS, Keys.rev(id, rev));
        return bytes == null ? null : RevRecord.decode(bytes);
    }

    @Override
    public ObjectNode get(String id, GetOptions options) {
        checkId(id);
        if (id.startsWith(DocumentParser.LOCAL_PREFIX)) {
            return getLocal(id);
        }
        if (options.rev() == null && !options.attachments() && options.attsSince().isEmpty()) {
            // The winner's body sits in the doc record: one get is already a consistent read.
            return get(store, id, options);
        }
        try (KvSnapshot snapshot = store.snapshot()) {
            return get(snapshot, id, options);
        }
    }

    /** The winner's stored body spliced between its specials when the options ask for nothing it lacks; else the tree's bytes. */
    @Override
    public DocumentJson getJson(String id, GetOptions options) {
        checkId(id);
        if (id.startsWith(DocumentParser.LOCAL_PREFIX) || options.rev() != null) {
            return Database.super.getJson(id, options);
        }
        DocRecord doc = docRecord(store, id);
        if (doc == null) {
            throw new ArborException.NotFound("missing");
        }
        Leaf winner = doc.winner();
        if (winner.status().deleted()) {
            throw new ArborException.NotFound("deleted");
        }
        byte[] json = DocJson.splicedDocument(id, winner.rev(), doc.winnerRecord(), doc.tree(), options);
        if (json == null) {
            return Database.super.getJson(id, options);
        }
        return new DocumentJson(winner.rev().toString(), json);
    }

    private ObjectNode get(KvReader reader, String id, GetOptions options) {
        // The rev is checked before the lookup: a malformed one is 400 even for a missing doc, as in CouchDB.
        Rev asked = options.rev() == null ? null : Rev.parse(options.rev());
        DocRecord doc = docRecord(reader, id);
        if (doc == null) {
            throw new ArborException.NotFound("missing");
        }
        if (options.rev() == null) {
            Leaf winner = doc.winner();
            if (winner.status().deleted()) {
                throw new ArborException.NotFound("deleted");
            }
            return DocJson.document(id, winner.rev(), doc.winnerRecord(), doc.tree(), doc.seq(), options, reader);
        }
        Rev rev = asked;
        if (options.latest()) {
            List<Rev> leaves = doc.tree().leavesDescendingFrom(rev);
            if (!leaves.isEmpty()) {
                rev = leaves.get(0);
            }
        }
        RevRecord record = doc.tree().contains(rev) ? revRecord(reader, id, doc, rev) : null;
        if (record == null) {
            throw new ArborException.NotFound("missing");
        }
        return DocJson.document(id, rev, record, doc.tree(), doc.seq(), options, reader);
    }

    @Override
    public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) {
        checkId(id);
        try (KvSnapshot snapshot = store.snapshot()) {
            return openRevs(snapshot, id, revs, options);
        }
    }

    private List<OpenRev> openRevs(KvReader reader, String id, List<String> revs, GetOptions options) {
        DocRecord doc = docRecord(reader, id);
        List<OpenRev> result = new ArrayList<>();
        if (revs == null) {
            if (doc == null) {
                throw new ArborException.NotFound("missing");
            }
            for (Leaf leaf : doc.tree().leaves()) {
                result.add(new OpenRev.Found(DocJson.document(id, leaf.rev(), revRecord(reader, id, doc, leaf.rev()),
                        doc.tree(), doc.seq(), options, reader)));
            }
            return result;
        }
        // Each revision is answered once, however many of the asked ones lead to it (two revisions of one branch
        // with latest=true, or one rev named twice), as CouchDB's open_doc_revs does.
        Set<Rev> answered = new HashSet<>();
        Set<String> missing = new HashSet<>();
        for (String text : revs) {
            Rev asked = Rev.parse(text);
            List<Rev> targets = doc == null ? List.of()
                    : options.latest() ? doc.tree().leavesDescendingFrom(asked)
                    : doc.tree().contains(asked) ? List.of(asked) : List.of();
            boolean found = false;
            for (Rev rev : targets) {
                RevRecord record = revRecord(reader, id, doc, rev);
                if (record != null) {
                    found = true;
                    if (answered.add(rev)) {
                        result.add(new OpenRev.Found(DocJson.document(id, rev, record, doc.tree(), doc.seq(), options, reader)));
                    }
                }
            }
            if (!found && missing.add(text)) {
                result.add(new OpenRev.Missing(text));
            }
        }
        return result;
    }

    @Override
    public void allDocs(AllDocsOptions options, AllDocsSink sink) {
        allDocs(options, sink, null);
    }

    /** {@code _all_docs} over every id, or over one partition's ids when {@code partition} is not null. */
    void allDocs(AllDocsOptions options, AllDocsSink sink, String partition) {
        try (KvSnapshot snapshot = store.snapshot()) {
            DbState state = DbState.decode(snapshot.get(Space.META, Keys.META_STATE));
            Seq updateSeq = options.updateSeq() ? Seq.of(state.updateSeq()) : null;
            GetOptions docOptions = GetOptions.DEFAULT.conflicts(options.conflicts());
            byte[] lowest = partition == null ? null : Partitions.startKey(partition);
            byte[] highest = partition == null ? null : Partitions.endKey(partition);
            long total = partition == null ? state.docCount()
                    : LiveCounts.liveBefore(snapshot, highest, state.docCount()) - LiveCounts.liveBefore(snapshot, lowest, 0);
            if (options.keys() != null) {
                sink.begin(total, 0, updateSeq);
                List<String> keys = new ArrayList<>(options.keys());
                if (options.descending()) {
                    java.util.Collections.reverse(keys);
                }
                long skipped = 0;
                long sent = 0;
                for (String key : keys) {
                    if (skipped++ < options.skip()) {
                        continue;
                    }
                    if (options.limit() >= 0 && sent >= options.limit()) {
                        break;
                    }
                    sink.row(partition != null && !Partitions.isMember(key, partition)
                            ? AllDocsRow.notFound(key) : keyRow(snapshot, key, options, docOptions));
                    sent++;
                }
                return;
            }
            Range range = Range.of(options.key() != null ? options.key() : options.startkey(),
                    options.key() != null ? options.key() : options.endkey(),
                    options.key() != null || options.inclusiveEnd(), options.descending()).within(lowest, highest);
            long offset = options.skip() + (range.hasStart() ? countLiveBefore(snapshot, range, lowest, highest, state.docCount()) : 0);
            sink.begin(total, Math.min(offset, total), updateSeq);
            if (range.isEmpty()) {
                return;
            }
            long skipped = 0;
            long sent = 0;
            try (KvCursor cursor = snapshot.scan(Space.DOCS, range.from(), range.to(), options.descending())) {
                while ((options.limit() < 0 || sent < options.limit()) && cursor.next()) {
                    byte[] stored = cursor.value(); // a copy out of RocksDB per call: read it once
                    if (DocRecord.winnerDeleted(stored)) {
                        continue;
                    }
                    if (skipped < options.skip()) {
                        skipped++;
                        continue;
                    }
                    DocRecord doc = DocRecord.decode(stored);
                    String id = Keys.docId(cursor.key());
                    Rev rev = doc.winner().rev();
                    ObjectNode body = options.includeDocs()
                            ? DocJson.document(id, rev, doc.winnerRecord(), doc.tree(), doc.seq(), docOptions, snapshot) : null;
                    sink.row(new AllDocsRow(id, id, rev.toString(), false, body, null));
                    sent++;
                }
            }
        }
    }

    private static AllDocsRow keyRow(KvReader reader, String key, AllDocsOptions options, GetOptions docOptions) {
        DocRecord doc = docRecord(reader, key);
        if (doc == null) {
            return AllDocsRow.notFound(key);
        }
        Rev rev = doc.winner().rev();
        if (doc.deleted()) {
            return new AllDocsRow(key, key, rev.toString(), true, null, null);
        }
        ObjectNode body = options.includeDocs()
                ? DocJson.document(key, rev, doc.winnerRecord(), doc.tree(), doc.seq(), docOptions, reader) : null;
        return new AllDocsRow(key, key, rev.toString(), false, body, null);
    }

    /**
     * CouchDB's offset: how many live rows come before the range in the direction of the scan, counting from
     * {@code lowest} (ascending) or down from {@code highest} (descending); null bounds are open. Read from the
     * live counts per id range ({@link LiveCounts}), not by counting the documents.
     */
    private static long countLiveBefore(KvReader reader, Range range, byte[] lowest, byte[] highest, long total) {
        return range.descending()
                ? LiveCounts.liveBefore(reader, highest, total) - LiveCounts.liveBefore(reader, range.to(), total)
                : LiveCounts.liveBefore(reader, range.from(), total) - LiveCounts.liveBefore(reader, lowest, 0);
    }

    /**
     * A scan range over raw id bytes in CouchDB's terms: start and end as the client names them (they
     * swap roles when descending), end inclusive or not.
     */
    private record Range(byte[] from, byte[] to, boolean hasStart, boolean descending) {
        static Range of(String start, String end, boolean inclusiveEnd, boolean descending) {
            byte[] s = start == null ? null : Keys.docId(start);
            byte[] e = end == null ? null : Keys.docId(end);
            if (!descending) {
                return new Range(s, e == null ? null : inclusiveEnd ? Keys.after(e) : e, s != null, false);
            }
            return new Range(e == null ? null : inclusiveEnd ? e : Keys.after(e), s == null ? null : Keys.after(s), s != null, true);
        }

        /** This range clipped to {@code [lowest, highest)} (null bounds open): a partition's ids. */
        Range within(byte[] lowest, byte[] highest) {
            byte[] f = from == null || (lowest != null && Arrays.compareUnsigned(lowest, from) > 0) ? lowest : from;
            byte[] t = to == null || (highest != null && Arrays.compareUnsigned(highest, to) < 0) ? highest : to;
            return new Range(f, t, hasStart, descending);
        }

        boolean isEmpty() {
            return from != null && to != null && Arrays.compareUnsigned(from, to) >= 0;
        }
    }

    // ---- partitions ----------------------------------------------------------------------------

    @Override
    public Partition partition(String name) {
        Partitions.validatePartition(name);
        if (!partitioned) {
            throw new ArborException.BadRequest("bad_request", "database is not partitioned");
        }
        return new EnginePartition(this, name);
    }

    /** Live and deleted documents of one partition and the sizes of their records and JSON bodies. */
    record PartitionCounts(long live, long deleted, long active, long external) {}

    /**
     * Counted by one scan over the partition's id range: partitions are meant to be small (CouchDB advises
     * well under 10 GB), and counting keeps the write path free of per-partition counters.
     */
    static PartitionCounts partitionCounts(KvReader reader, String partition) {
        long live = 0;
        long deleted = 0;
        long active = 0;
        long external = 0;
        try (KvCursor cursor = reader.scan(Space.DOCS, Partitions.startKey(partition), Partitions.endKey(partition), false)) {
            while (cursor.next()) {
                DocRecord doc = DocRecord.decode(cursor.value());
                if (doc.deleted()) deleted++; else live++;
                active += cursor.key().length + cursor.value().length;
                external += doc.winnerRecord().body().length;
            }
        }
        return new PartitionCounts(live, deleted, active, external);
    }

    PartitionInfo partitionInfo(String partition) {
        try (KvSnapshot snapshot = store.snapshot()) {
            PartitionCounts counts = partitionCounts(snapshot, partition);
            return new PartitionInfo(name, partition, counts.live(), counts.deleted(), counts.active(), counts.external());
        }
    }

    FindResult find(FindRequest request, String partition) {
        return mango.find(request, partition);
    }

    Explain explain(FindRequest request, String partition) {
        return mango.explain(request, partition);
    }

    @Override
    public ChangesSummary changes(ChangesOptions options, Consumer<ChangeRow> rows) {
        long since = options.since().toLocal();
        try (KvSnapshot snapshot = store.snapshot()) {
            DbState state = DbState.decode(snapshot.get(Space.META, Keys.META_STATE));
            Set<String> docIds = options.docIds() == null ? null : new HashSet<>(options.docIds());
            GetOptions docOptions = GetOptions.DEFAULT.conflicts(options.conflicts());
            // Resolved before the scan, so a bad filter is refused before any row goes out.
            Predicate<ObjectNode> function = options.filter() == null ? null
                    : designFilters.resolve(options.filter(), options.queryParams(), this::get);
            long sent = 0;
            long lastSeq = -1;
            boolean limited = false;
            try (KvCursor cursor = snapshot.scan(Space.SEQ, Keys.seq(since + 1), null, options.descending())) {
                while (cursor.next()) {
                    if (options.limit() >= 0 && sent >= options.limit()) {
                        limited = true;
                        break;
                    }
                    SeqEntry entry = SeqEntry.decode(cursor.value());
                    if (docIds != null && !docIds.contains(entry.id())) {
                        continue;
                    }
                    long seq = Keys.seq(cursor.key());
                    List<String> changes = options.style() == ChangesOptions.Style.ALL_DOCS
                            ? entry.leaves().stream().map(Rev::toString).toList()
                            : List.of(entry.leaves().get(0).toString());
                    ObjectNode doc = null;
                    if (options.includeDocs() || function != null) {
                        DocRecord record = docRecord(snapshot, entry.id());
                        Rev rev = record.winner().rev();
                        doc = DocJson.document(entry.id(), rev, record.winnerRecord(), record.tree(), record.seq(), docOptions, snapshot);
                    }
                    if (function != null && !function.test(doc)) {
                        continue;
                    }
                    rows.accept(new ChangeRow(seq, entry.id(), changes, entry.deleted(), options.includeDocs() ? doc : null));
                    lastSeq = seq;
                    sent++;
                }
            }
            if (!limited && !options.descending()) {
                return new ChangesSummary(Math.max(state.updateSeq(), since), 0);
            }
            if (lastSeq < 0) {
                lastSeq = options.descending() ? state.updateSeq() : since;
            }
            return new ChangesSummary(lastSeq, options.descending() ? 0 : countAfter(snapshot, lastSeq));
        }
    }

    private static long countAfter(KvReader reader, long seq) {
        long count = 0;
        try (KvCursor cursor = reader.scan(Space.SEQ, Keys.seq(seq + 1), null, false)) {
            while (cursor.next()) {
                count++;
            }
        }
        return count;
    }

    @Override
    public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) {
        Map<String, RevsDiff> result = new LinkedHashMap<>();
        try (KvSnapshot snapshot = store.snapshot()) {
            for (Map.Entry<String, List<String>> entry : revs.entrySet()) {
                DocRecord doc = docRecord(snapshot, entry.getKey());
                List<String> missing = new ArrayList<>();
                Set<String> ancestors = new LinkedHashSet<>();
                for (String text : entry.getValue()) {
                    Rev rev = Rev.parse(text);
                    if (doc == null || !doc.tree().contains(rev)) {
                        missing.add(text);
                        if (doc != null) {
                            doc.tree().possibleAncestors(rev).forEach(a -> ancestors.add(a.toString()));
                        }
                    }
                }
                if (!missing.isEmpty()) {
                    result.put(entry.getKey(), new RevsDiff(missing, List.copyOf(ancestors)));
                }
            }
        }
        return result;
    }

    @Override
    public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) {
        List<BulkGetResult> results = new ArrayList<>(requests.size());
        try (KvSnapshot snapshot = store.snapshot()) {
            for (BulkGetRequest request : requests) {
                GetOptions docOptions = options.attsSince(request.attsSince());
                if (request.id() == null) {
                    results.add(new BulkGetResult(null, List.of(new BulkGetResult.Error(null, request.rev(), "bad_request", "Document id must be a string"))));
                    continue;
                }
                List<BulkGetResult.Entry> entries = new ArrayList<>();
                try {
                    checkId(request.id());
                } catch (ArborException e) {
                    // CouchDB answers a bad id with a null rev, whatever rev was asked for.
                    results.add(new BulkGetResult(request.id(), List.of(new BulkGetResult.Error(request.id(), null, e.error(), e.reason()))));
                    continue;
                }
                try {
                    if (request.rev() == null) {
                        entries.add(new BulkGetResult.Ok(get(snapshot, request.id(), docOptions)));
                    } else {
                        for (OpenRev openRev : openRevs(snapshot, request.id(), List.of(request.rev()), docOptions)) {
                            entries.add(switch (openRev) {
                                case OpenRev.Found found -> new BulkGetResult.Ok(found.doc());
                                case OpenRev.Missing missing -> new BulkGetResult.Error(request.id(), missing.rev(), "not_found", "missing");
                            });
                        }
                    }
                } catch (ArborException e) {
                    entries.add(new BulkGetResult.Error(request.id(), request.rev() == null ? "undefined" : request.rev(), e.error(), e.reason()));
                }
                results.add(new BulkGetResult(request.id(), entries));
            }
        }
        return results;
    }

    // ---- writes --------------------------------------------------------------------------------

    @Override
    public DocResult.Ok put(ObjectNode submitted) {
        ObjectNode doc = hooks.beforeWrite(submitted);
        if (!doc.has("_id")) {
            throw new ArborException.PreconditionFailed("missing_id", "_id is required for puts");
        }
        if (isLocal(doc)) {
            return putLocal(doc);
        }
        ParsedDoc parsed = DocumentParser.parse(doc);
        limits.check(parsed);
        return write(parsed, doc);
    }

    @Override
    public DocResult.Ok post(ObjectNode submitted) {
        ObjectNode doc = hooks.beforeWrite(submitted);
        if (isLocal(doc)) {
            return putLocal(doc);
        }
        ParsedDoc parsed = DocumentParser.parse(doc);
        // Checked before the id is made up: CouchDB's document_too_large then has an empty reason.
        limits.check(parsed);
        if (parsed.id() == null) {
            parsed = parsed.withId(newId());
        }
        return write(parsed, doc);
    }

    private DocResult.Ok write(ParsedDoc parsed, ObjectNode json) {
        checkId(parsed.id());
        if (parsed.isLocal()) {
            return putLocal(json);
        }
        validate(validation.current(), parsed, json, true);
        DocResult.Ok result = writer.submit(ctx -> writes.edit(ctx, parsed, Map.of()));
        hooks.afterWrite(result, parsed.deleted());
        return result;
    }

    // ---- validation ----------------------------------------------------------------------------

    /**
     * Runs the design documents' {@code validate_doc_update} on a write (and checks that an interactively written
     * design document compiles). {@code json} is the document as submitted.
     */
    private void validate(DocValidation.Validators validators, ParsedDoc doc, ObjectNode json, boolean newEdits) {
        if (doc.isDesign()) {
            if (newEdits && !doc.deleted()) {
                DocValidation.checkDesignDoc(json);
            }
            return;
        }
        if (validators.isEmpty()) {
            return;
        }
        ObjectNode newDoc = json.deepCopy();
        newDoc.put("_id", doc.id());
        validators.validate(newDoc, revision(doc.id(), newEdits ? doc.rev() : parentOfReplicated(doc)));
    }

    /**
     * Validates an attachment edit as the document it makes: the parent revision with the attachment added (as a
     * stub of {@code contentType}) or, when {@code contentType} is null, removed.
     */
    private void validateAttachmentEdit(String docId, Rev parent, String name, String contentType) {
        DocValidation.Validators validators = validation.current();
        if (validators.isEmpty() || docId.startsWith("_design/")) {
            return;
        }
        ObjectNode oldDoc = revision(docId, parent);
        ObjectNode newDoc = oldDoc == null || oldDoc.path("_deleted").asBoolean() ? Json.object() : oldDoc.deepCopy();
        newDoc.put("_id", docId);
        ObjectNode atts = newDoc.has("_attachments") ? (ObjectNode) newDoc.get("_attachments") : newDoc.putObject("_attachments");
        if (contentType == null) {
            atts.remove(name);
        } else {
            atts.putObject(name).put("content_type", contentType).put("stub", true);
        }
        validators.validate(newDoc, oldDoc);
    }

    /** The parent of a replicated revision, from its {@code _revisions}; null when it has none. */
    private static Rev parentOfReplicated(ParsedDoc doc) {
        if (doc.revisions() == null || doc.revisions().ids().size() < 2) {
            return null;
        }
        return Rev.parse((doc.revisions().start() - 1) + "-" + doc.revisions().ids().get(1));
    }

    /** A stored revision (deleted ones as their tombstone), or null when there is none. */
    private ObjectNode revision(String id, Rev rev) {
        if (rev == null) {
            return null;
        }
        try {
            return get(id, GetOptions.DEFAULT.rev(rev.toString()));
        } catch (ArborException.NotFound e) {
            return null;
        }
    }

    @Override
    public DocResult.Ok putWithAttachments(ObjectNode submitted, boolean newEdits, Map<String, InputStream> following) {
        ObjectNode doc = newEdits ? hooks.beforeWrite(submitted) : submitted;
        if (isLocal(doc)) {
            if (!following.isEmpty()) {
                throw localAttachments();
            }
            return putLocal(doc);
        }
        ParsedDoc parsed = DocumentParser.parse(doc);
        if (parsed.id() == null) {
            throw new ArborException.PreconditionFailed("missing_id", "_id is required for puts");
        }
        checkId(parsed.id());
        limits.check(parsed);
        if (parsed.isLocal()) {
            return putLocal(doc);
        }
        validate(validation.current(), parsed, doc, newEdits);
        // Stream every attachment into chunks first, outside the writer: the commit then only references them.
        Map<String, AttachmentStore.Written> streamed = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, InputStream> part : following.entrySet()) {
                streamed.put(part.getKey(), attachments.writeStream(limits.limit(part.getKey(), part.getValue()),
                        digestsAsCouchDb(parsed, part.getKey(), newEdits)));
            }
            DocResult.Ok result = writer.submit(ctx -> newEdits ? writes.edit(ctx, parsed, streamed)
                    : writes.replicate(ctx, parsed, streamed));
            // Parts the document did not name were never referenced.
            streamed.forEach((name, data) -> {
                if (parsed.attachments() == null || !parsed.attachments().has(name)) {
                    attachments.discard(data);
                }
            });
            hooks.afterWrite(result, parsed.deleted());
            return result;
        } catch (RuntimeException e) {
            streamed.values().forEach(attachments::discard);
            throw e;
        }
    }

    @Override
    public DocResult.Ok remove(String id, String rev) {
        DocumentParser.validateId(id);
        checkId(id);
        if (id.startsWith(DocumentParser.LOCAL_PREFIX)) {
            removeLocal(id, rev);
            return new DocResult.Ok(id, "0-0");
        }
        Rev parent;
        try {
            parent = rev == null ? null : Rev.parse(rev);
        } catch (ArborException.BadRequest malformed) {
            // CouchDB's DELETE opens the document first: a missing one is 404 whatever rev is named.
            if (docRecord(store, id) == null) {
                throw new ArborException.NotFound("missing");
            }
            throw malformed;
        }
        if (parent == null) {
            throw new ArborException.Conflict();
        }
        ObjectNode tombstoneJson = Json.object().put("_id", id).put("_rev", rev).put("_deleted", true);
        ParsedDoc tombstone = new ParsedDoc(id, parent, true, null, null, Json.object());
        if (!hooks.isEmpty()) {
            tombstoneJson = hooks.beforeWrite(tombstoneJson);
            tombstone = DocumentParser.parse(tombstoneJson);
            if (!id.equals(tombstone.id())) {
                throw new ArborException.BadRequest("bad_request", "a before-write hook may not change a document's id");
            }
        }
        ParsedDoc edit = tombstone;
        validate(validation.current(), edit, tombstoneJson, true);
        DocResult.Ok result = writer.submit(ctx -> writes.edit(ctx, edit, Map.of()));
        hooks.afterWrite(result, edit.deleted());
        return result;
    }

    /**
     * A local doc ({@code _local/...}) is written apart, before the parser sees it: its {@code 0-N} revisions
     * are no revisions of a tree.
     */
    private static boolean isLocal(ObjectNode doc) {
        return doc.path("_id").asText("").startsWith(DocumentParser.LOCAL_PREFIX);
    }

    private static ArborException localAttachments() {
        return new ArborException.BadRequest("bad_request", "_local documents do not accept attachments.");
    }

    /** Attachments belong to documents with revision trees; CouchDB refuses any attachment request on a local doc. */
    private static void refuseLocal(String docId) {
        if (docId.startsWith(DocumentParser.LOCAL_PREFIX)) {
            throw localAttachments();
        }
    }

    static String newId() {
        UUID uuid = UUID.randomUUID();
        return String.format("%016x%016x", uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    @Override
    public List<DocResult> bulkDocs(List<ObjectNode> submitted, boolean newEdits) {
        Map<Integer, DocResult.Error> refused = new HashMap<>();
        List<ObjectNode> docs = newEdits ? beforeWriteEach(submitted, refused) : submitted;
        // Parse everything first: a malformed doc fails the whole request, as CouchDB's _bulk_docs does.
        List<ParsedDoc> parsed = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            ObjectNode json = docs.get(i);
            if (refused.containsKey(i) || isLocal(json)) {
                parsed.add(null);
                continue;
            }
            ParsedDoc doc = DocumentParser.parse(json);
            limits.check(doc);
            if (!newEdits && doc.rev() == null) {
                throw new ArborException.BadRequest("bad_request",
                        "When `new_edits: false`, the document needs `_rev` or `_revisions` specified");
            }
            if (doc.id() == null) {
                if (!newEdits) {
                    throw new ArborException.BadRequest("bad_request", "Document id must be a string when new_edits is false");
                }
                doc = doc.withId(newId());
            }
            checkId(doc.id());
            parsed.add(doc);
        }
        DocValidation.Validators validators = validation.current();
        for (int i = 0; i < parsed.size(); i++) {
            ParsedDoc doc = parsed.get(i);
            if (doc == null) {
                continue;
            }
            try {
                validate(validators, doc, docs.get(i), newEdits);
            } catch (ArborException.Forbidden | ArborException.Unauthorized | ArborException.BadRequest e) {
                refused.put(i, new DocResult.Error(doc.id(), errorRev(doc, newEdits), e.error(), e.reason()));
            }
        }
        // Filled by the writer, read after submit returns (the commit's completion orders the two).
        List<ParsedDoc> written = new ArrayList<>();
        List<String> editedIds = new ArrayList<>(parsed.size());
        for (int i = 0; i < parsed.size(); i++) {
            if (parsed.get(i) != null && !refused.containsKey(i)) {
                editedIds.add(parsed.get(i).id());
            }
        }
        List<DocResult> outcome = writer.submit(ctx -> {
            DocWrites.prefetch(ctx, editedIds);
            List<DocResult> results = new ArrayList<>(docs.size());
            for (int i = 0; i < docs.size(); i++) {
                ParsedDoc doc = parsed.get(i);
                if (refused.containsKey(i)) {
                    results.add(refused.get(i));
                    continue;
                }
                String id = doc == null ? docs.get(i).path("_id").asText() : doc.id();
                ctx.mark();
                try {
                    if (doc == null) {
                        DocResult.Ok ok = LocalDocs.put(ctx, docs.get(i));
                        if (newEdits) {
                            // a replicated (new_edits=false) write answers only its failures, local or not
                            results.add(ok);
                        }
                    } else if (newEdits) {
                        DocResult.Ok ok = writes.edit(ctx, doc, Map.of());
                        results.add(ok);
                        written.add(new ParsedDoc(ok.id(), Rev.parse(ok.rev()), doc.deleted(), null, null, null));
                    } else {
                        writes.replicate(ctx, doc, Map.of());
                        written.add(doc);
                    }
                    ctx.keep();
                } catch (ArborException e) {
                    ctx.rollback();
                    results.add(new DocResult.Error(id, errorRev(doc, newEdits), e.error(), e.reason()));
                }
            }
            return results;
        });
        for (ParsedDoc doc : written) {
            hooks.afterWrite(doc.id(), doc.rev().toString(), doc.deleted());
        }
        return outcome;
    }

    /**
     * The rev a failed {@code _bulk_docs} entry names, as CouchDB's chttpd_db answers: a replicated
     * ({@code new_edits=false}) revision's failure names it, an interactive edit's does not.
     */
    private static String errorRev(ParsedDoc doc, boolean newEdits) {
        return newEdits || doc == null || doc.rev() == null ? null : doc.rev().toString();
    }

    /** The before-write hooks over each doc of a {@code _bulk_docs}; a rejection becomes that doc's error result. */
    private List<ObjectNode> beforeWriteEach(List<ObjectNode> docs, Map<Integer, DocResult.Error> refused) {
        if (hooks.isEmpty()) {
            return docs;
        }
        List<ObjectNode> out = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            ObjectNode doc = docs.get(i);
            try {
                out.add(hooks.beforeWrite(doc));
            } catch (ArborException.Forbidden | ArborException.Unauthorized | ArborException.BadRequest
                     | ArborException.Conflict e) {
                // Only interactive edits go through the hooks: their errors name no rev (see errorRev).
                refused.put(i, new DocResult.Error(doc.path("_id").asText(null), null, e.error(), e.reason()));
                out.add(doc);
            }
        }
        return out;
    }

    @Override
    public List<DocResult.Ok> bulkDocsAllOrNothing(List<AtomicWrite> atomicWrites) {
        List<ParsedDoc> parsed = new ArrayList<>(atomicWrites.size());
        List<Boolean> overwrite = new ArrayList<>(atomicWrites.size());
        List<ObjectNode> docs = new ArrayList<>(atomicWrites.size());
        for (AtomicWrite write : atomicWrites) {
            ObjectNode doc = hooks.beforeWrite(write.doc());
            ParsedDoc edit = DocumentParser.parse(doc);
            if (edit.id() == null) {
                throw new ArborException.PreconditionFailed("missing_id", "_id is required in an atomic write");
            }
            checkId(edit.id());
            if (edit.isLocal()) {
                throw new ArborException.BadRequest("bad_request", "local documents cannot be part of an atomic write");
            }
            parsed.add(edit);
            docs.add(doc);
            overwrite.add(write instanceof AtomicWrite.Overwrite);
        }
        DocValidation.Validators validators = validation.current();
        for (int i = 0; i < parsed.size(); i++) {
            // An overwrite's parent is only known in the writer; the validator sees the edit's own _rev (if any).
            validate(validators, parsed.get(i), docs.get(i), true);
        }
        List<DocResult.Ok> results = writer.submit(ctx -> writes.editAll(ctx, parsed, overwrite));
        for (int i = 0; i < results.size(); i++) {
            hooks.afterWrite(results.get(i), parsed.get(i).deleted());
        }
        return results;
    }

    // ---- local docs ----------------------------------------------------------------------------

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
            Range range = Range.of(start == null ? (options.descending() ? null : prefix) : LocalDocs.normalize(start),
                    end == null ? (options.descending() ? prefix : null) : LocalDocs.normalize(end),
                    options.key() != null || options.inclusiveEnd(), options.descending());
            sink.begin(-1, options.skip(), null);
            long skipped = 0;
            long sent = 0;
            try (KvCursor cursor = snapshot.scan(Space.LOCAL, range.from(), range.to(), options.descending())) {
                while ((options.limit() < 0 || sent < options.limit()) && cursor.next()) {
                    if (skipped < options.skip()) {
                        skipped++;
                        continue;
                    }
                    String id = Keys.docId(cursor.key());
                    LocalDocs.Stored stored = LocalDocs.Stored.decode(cursor.value());
                    sink.row(new AllDocsRow(id, id, "0-" + stored.rev(), false,
                            options.includeDocs() ? stored.toJson(id) : null, null));
                    sent++;
                }
            }
        }
    }

    // ---- attachments ---------------------------------------------------------------------------

    @Override
    public AttachmentStream getAttachment(String docId, String name, String rev) {
        refuseLocal(docId);
        checkId(docId);
        Rev asked = rev == null ? null : Rev.parse(rev);
        KvSnapshot snapshot = store.snapshot();
        try {
            DocRecord doc = docRecord(snapshot, docId);
            if (doc == null) {
                throw new ArborException.NotFound("missing");
            }
            RevRecord record;
            Rev at;
            if (rev == null) {
                if (doc.deleted()) {
                    throw new ArborException.NotFound("deleted");
                }
                at = doc.winner().rev();
                record = doc.winnerRecord();
            } else {
                at = asked;
                record = doc.tree().contains(at) ? revRecord(snapshot, docId, doc, at) : null;
                if (record == null) {
                    throw new ArborException.NotFound("missing");
                }
            }
            AttachmentRef ref = record.attachment(name);
            if (ref == null) {
                throw new ArborException.NotFound("Document is missing attachment");
            }
            InputStream data = AttachmentStore.open(snapshot, ref.dataKey(), snapshot);
            return new AttachmentStream(ref.name(), ref.contentType(), ref.length(), ref.digest(), ref.revpos(), data,
                    ref.digestIsDataKey());
        } catch (RuntimeException e) {
            snapshot.close();
            throw e;
        }
    }

    /**
     * Whether a part that follows the document needs CouchDB's gzip-stream digest computed: it is of a compressible
     * type and the revision is a new edit, or a replicated one that declares no digest (CouchDB then digests what it
     * stores, as a peer that left the digest out expects).
     */
    private static boolean digestsAsCouchDb(ParsedDoc parsed, String name, boolean newEdits) {
        JsonNode att = parsed.attachments() == null ? null : parsed.attachments().get(name);
        return att != null && CouchDbGzipDigest.compressible(att.path("content_type").asText(null))
                && (newEdits || !att.path("digest").asText("").startsWith("md5-"));
    }

    @Override
    public DocResult.Ok putAttachment(String docId, String rev, String name, String contentType, InputStream data) {
        refuseLocal(docId);
        DocumentParser.validateId(docId);
        checkId(docId);
        if (name == null || name.isEmpty()) {
            throw new ArborException.BadRequest("bad_request", "Attachment name must not be empty");
        }
        DocumentParser.validateAttachmentName(name);
        Rev parent = rev == null ? null : Rev.parse(rev);
        String type = contentType == null ? "application/octet-stream" : contentType;
        validateAttachmentEdit(docId, parent, name, type);
        AttachmentStore.Written written = attachments.writeStream(limits.limit(name, data), CouchDbGzipDigest.compressible(type));
        try {
            DocResult.Ok result = writer.submit(ctx -> writes.putAttachment(ctx, docId, parent, name, type, written));
            hooks.afterWrite(result, false);
            return result;
        } catch (RuntimeException e) {
            attachments.discard(written);
            throw e;
        }
    }

    @Override
    public DocResult.Ok removeAttachment(String docId, String rev, String name) {
        refuseLocal(docId);
        checkId(docId);
        DocumentParser.validateAttachmentName(name);
        Rev parent = rev == null ? null : Rev.parse(rev);
        validateAttachmentEdit(docId, parent, name, null);
        DocResult.Ok result = writer.submit(ctx -> writes.removeAttachment(ctx, docId, parent, name));
        hooks.afterWrite(result, false);
        return result;
    }

    // ---- Mango ---------------------------------------------------------------------------------

    @Override
    public FindResult find(FindRequest request) {
        return mango.find(request, null);
    }

    @Override
    public void find(FindRequest request, dev.arbor.api.find.FindSink sink) {
        mango.find(request, null, sink);
    }

    @Override
    public Explain explain(FindRequest request) {
        return mango.explain(request, null);
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

    // ---- views ---------------------------------------------------------------------------------

    @Override
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        views.query(ddoc, view, query, sink);
    }

    /** {@link dev.arbor.api.Partition#query}: the partition's rows of a partitioned view. */
    void query(String ddoc, String view, String partition, ViewQuery query, ViewSink sink) {
        views.query(ddoc, view, partition, query, sink);
    }

    @Override
    public ViewIndexInfo viewInfo(String ddoc) {
        return views.info(ddoc);
    }

    @Override
    public void viewCleanup() {
        // Typed views live in Java code, not in design documents: the registered ones are live.
        views.cleanup(typedViews.liveSignatures());
        mango.cleanup(); // Mango indexes are views in CouchDB, cleaned up by the same request
    }

    @Override
    public <K, V> ViewHandle<K, V> view(TypedView<K, V> view) {
        return typedViews.register(view, false);
    }

    /**
     * Registers a typed view like {@link #view(TypedView)}; with {@code verify}, its index is first checked against
     * its checkpoint and the by-seq log and rebuilt when they disagree.
     */
    public <K, V> ViewHandle<K, V> view(TypedView<K, V> view, boolean verify) {
        return typedViews.register(view, verify);
    }

    @Override
    public List<ViewHandle<?, ?>> views(List<? extends TypedView<?, ?>> views) {
        return typedViews.registerAll(views, false);
    }

    /**
     * Checks the index of every JavaScript design document against its checkpoint and the by-seq log (rows,
     * reductions, per-partition row counts, back-index) and clears each that disagrees, so its next query rebuilds
     * it; {@code ArborOptions.verifyViews} runs this on open. Returns the ids of the design documents cleared.
     */
    public List<String> verifyDesignViews() {
        return views.verify();
    }

    /** Registers typed views together like {@link #views(List)}; with {@code verify}, as {@link #view(TypedView, boolean)}. */
    public List<ViewHandle<?, ?>> views(List<? extends TypedView<?, ?>> views, boolean verify) {
        return typedViews.registerAll(views, verify);
    }

    // ---- maintenance ---------------------------------------------------------------------------

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
        revsByDocId.keySet().forEach(this::checkId);
        revsByDocId.forEach((id, revs) -> parsed.put(id, revs.stream().map(Rev::parse).toList()));
        return writer.submit(ctx -> {
            Map<String, List<String>> purged = new LinkedHashMap<>();
            parsed.forEach((id, revs) -> purged.put(id, DocWrites.purge(ctx, id, revs)));
            return new PurgeResult(ctx.state().purgeSeq(), purged);
        });
    }

    @Override
    public ObjectNode getSecurity() {
        byte[] bytes = store.get(Space.META, Keys.META_SECURITY);
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
            ctx.put(Space.META, Keys.META_SECURITY, bytes);
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

    @Override
    public Subscription onCommit(Consumer<CommitEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    // ---- key-value store and pub/sub ----------------------------------------------------------

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
                return ctx.get(Space.KV, key);
            }

            @Override
            public void put(byte[] key, byte[] value) {
                ctx.put(Space.KV, key, value);
            }

            @Override
            public void delete(byte[] key) {
                ctx.delete(Space.KV, key);
            }
        }));
    }

    @Override
    public Optional<PubSub> pubSub() {
        return Optional.of(pubSub);
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
