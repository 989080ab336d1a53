package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.Mango;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.FindSink;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.mango.FieldPath;
import dev.arbor.core.mango.Fields;
import dev.arbor.core.mango.Selector;
import dev.arbor.core.mango.Sort;
import dev.arbor.engine.index.IndexUpdater;
import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.DocumentCache;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;


/**
 * Mango for one engine database: {@code _find}, {@code _explain} and {@code _index}. Index definitions live in
 * design documents (written through the database like any document, so they replicate); index rows live in the
 * store's Mango spaces, maintained by the {@link IndexUpdater}. The engine database's {@link Mango} facet.
 *
 * <p>Threads: callable from any thread. A query runs on the caller's thread against one store snapshot, after its
 * index has been brought up to date ({@link IndexUpdater}); {@code _index} writes design documents through the
 * database like any caller.
 */
public final class MangoQueries implements Mango {
    private static final int CREATE_ATTEMPTS = 5;

    private final Database db;
    private final KvStore store;
    /** The database's counters as its writer last published them: what a query must see, known without a read. */
    private final Supplier<DbState> committed;
    private final IndexUpdater updater;
    /** Document versions this database's queries read, shared with every other database's in one budget. */
    private final DocumentCache.Scope documents = DocumentCache.shared().scope();
    private final QueryPlanner planner = new QueryPlanner();
    private final boolean dbPartitioned;
    private volatile Catalog catalog = new Catalog(-1, List.of());

    /** The Mango indexes as of one update seq: design docs change only with it. */
    private record Catalog(long seq, List<MangoIndex> indexes) {}

    /**
     * @param committed     the database's counters as of its last acknowledged commit
     * @param dbPartitioned whether the database is partitioned: its indexes are then partitioned unless they say not
     */
    public MangoQueries(Database db, KvStore store, IndexUpdater updater, Supplier<DbState> committed,
                        boolean dbPartitioned) {
        this.db = db;
        this.dbPartitioned = dbPartitioned;
        this.store = store;
        this.updater = updater;
        this.committed = committed;
    }

    private List<MangoIndex> indexList() {
        Catalog current = catalog;
        long seq = committed.get().updateSeq();
        if (current.seq() == seq) {
            return current.indexes();
        }
        List<MangoIndex> indexes = new ArrayList<>();
        try (KvSnapshot snapshot = store.snapshot()) {
            long snapshotSeq = StoredDocs.updateSeq(snapshot);
            // '0' follows '/': every "_design/..." id sorts below "_design0".
            StoredDocs.scanById(snapshot, DesignIndexes.DESIGN_PREFIX, "_design0", false, false, (id, doc) -> {
                indexes.addAll(DesignIndexes.indexes(id, doc, dbPartitioned));
                return true;
            });
            indexes.sort(Comparator.comparing(MangoIndex::ddoc).thenComparing(MangoIndex::name));
            Catalog read = new Catalog(snapshotSeq, List.copyOf(indexes));
            catalog = read;
            // The catalog's own list: while the update seq stands still, every caller sees the same list (plans key on it).
            return read.indexes();
        }
    }

    /**
     * @param selector the request's selector as the client wrote it (what {@code _explain} shows)
     * @param scoped   the selector the query runs: within a partition, the request's and the partition's id range
     * @param judged   the members the query reads to judge a document; null when it needs whole documents
     */
    private record Parsed(Selector selector, Selector scoped, Sort sort, Fields fields, TopLevelFields judged) {}

    private static Parsed parse(FindRequest request, String partition) {
        Selector selector = Selector.parse(request.selector());
        Sort sort = Sort.parse(request.sort() == null || request.sort().isNull() ? null : request.sort());
        Fields fields = request.fields() == null ? Fields.ALL : Fields.parse(Json.MAPPER.valueToTree(request.fields()));
        Selector scoped = partition == null ? selector : PartitionScope.scope(selector, partition);
        return new Parsed(selector, scoped, sort, fields,
                TopLevelFields.of(List.of(scoped), sort.fields().stream().map(Sort.SortField::path).toList()));
    }

    /**
     * The indexes a query may read: a partition query only partitioned ones, a global query only global ones
     * (CouchDB's {@code filter_partition_indexes}); {@code _all_docs} serves both.
     */
    private List<MangoIndex> indexesFor(String partition) {
        return indexList().stream().filter(i -> i.partitioned() == (partition != null)).toList();
    }

    /** What a query's parse and plan depend on besides the index catalog; its JSON copied, so a caller's later edits cannot reach it. */
    private record PlanKey(JsonNode selector, List<String> fields, JsonNode sort, List<String> useIndex, String partition) {
        static PlanKey of(FindRequest request, String partition) {
            return new PlanKey(request.selector() == null ? null : request.selector().deepCopy(),
                    request.fields() == null ? null : List.copyOf(request.fields()),
                    request.sort() == null ? null : request.sort().deepCopy(), request.useIndex(), partition);
        }

        boolean describes(FindRequest request, String partition) {
            return java.util.Objects.equals(selector, request.selector()) && java.util.Objects.equals(fields, request.fields())
                    && java.util.Objects.equals(sort, request.sort()) && useIndex.equals(request.useIndex())
                    && java.util.Objects.equals(this.partition, partition);
        }
    }

    /** A query's parse and plan, valid while the catalog's index list is {@code indexes} (compared by identity). */
    private record Planned(PlanKey key, List<MangoIndex> indexes, Parsed parsed, QueryPlan plan) {}

    /**
     * The last query planned: an application repeating one query (a page, a poll) skips parsing and planning it,
     * about a tenth of a 25-document page's CPU. One entry, replaced whole, so any thread may read or set it.
     */
    private volatile Planned lastPlanned;

    /** The parse and plan of a query, reused from the previous query when it was the same one over the same indexes. */
    private Planned planned(FindRequest request, String partition) {
        List<MangoIndex> indexes = indexList();
        Planned last = lastPlanned;
        if (last != null && last.indexes() == indexes && last.key().describes(request, partition)) {
            return last;
        }
        Parsed parsed = parse(request, partition);
        List<MangoIndex> usable = indexes.stream().filter(i -> i.partitioned() == (partition != null)).toList();
        Planned planned = new Planned(PlanKey.of(request, partition), indexes, parsed,
                planner.plan(parsed.scoped(), parsed.sort(), request.useIndex(), usable, partition));
        lastPlanned = planned;
        return planned;
    }

    /** The plan of a query, with the indexes it reads brought up to date when the request asks. */
    private QueryPlan plan(FindRequest request, QueryPlan plan) {
        if (request.update()) {
            DbState state = committed.get();
            for (QueryPlan.Scan scan : plan.scans()) {
                if (scan instanceof QueryPlan.IndexRange range) {
                    updater.update(range.index(), state);
                }
            }
        }
        return plan;
    }

    @Override
    public FindResult find(FindRequest request) {
        return find(request, (String) null);
    }

    @Override
    public void find(FindRequest request, FindSink sink) {
        find(request, null, sink);
    }

    @Override
    public Explain explain(FindRequest request) {
        return explain(request, (String) null);
    }

    /** {@code _find}, over the whole database ({@code partition} null) or one partition of it. */
    public FindResult find(FindRequest request, String partition) {
        long started = System.nanoTime();
        Planned planned = planned(request, partition);
        Parsed parsed = planned.parsed();
        QueryPlan plan = plan(request, planned.plan());
        try (KvSnapshot snapshot = store.snapshot()) {
            return new QueryRunner(snapshot, documents, parsed.scoped(), parsed.sort(), parsed.fields(), parsed.judged(), request).run(plan, started);
        }
    }

    /** {@link #find}, handed to {@code sink} as JSON bytes. */
    public void find(FindRequest request, String partition, FindSink sink) {
        long started = System.nanoTime();
        Planned planned = planned(request, partition);
        Parsed parsed = planned.parsed();
        QueryPlan plan = plan(request, planned.plan());
        try (KvSnapshot snapshot = store.snapshot()) {
            new QueryRunner(snapshot, documents, parsed.scoped(), parsed.sort(), parsed.fields(), parsed.judged(), request).run(plan, started, sink);
        }
    }

    public Explain explain(FindRequest request, String partition) {
        Parsed parsed = parse(request, partition);
        QueryPlan plan = planner.plan(parsed.scoped(), parsed.sort(), request.useIndex(), indexesFor(partition), partition);
        return new Explain(db.name(), plan.chosen(), parsed.selector().toJson(), request,
                parsed.fields().isAll() ? null : parsed.fields().names(), plan.strategy(),
                plan.scans().stream().map(QueryPlan.Scan::shown).toList(), plan.sortInMemory(), plan.candidates(),
                plan.warnings());
    }

    @Override
    public List<IndexInfo> indexes() {
        List<IndexInfo> infos = new ArrayList<>();
        infos.add(IndexInfo.ALL_DOCS);
        indexList().forEach(i -> infos.add(i.info()));
        return infos;
    }

    @Override
    public IndexResult createIndex(IndexDefinition definition) {
        for (String field : definition.fields()) {
            FieldPath.parse(field);
        }
        ElementField element = ElementField.find(definition.fields()); // refuses a misplaced or second []
        String type = definition.type() == null ? IndexDefinition.JSON : definition.type();
        if (!type.equals(IndexDefinition.JSON) && !type.equals(IndexDefinition.ARRAY)) {
            throw new ArborException.BadRequest("invalid_index", "Invalid type for index: " + type);
        }
        if (type.equals(IndexDefinition.ARRAY) && element == null) {
            throw new ArborException.BadRequest("invalid_index", "An index of type array needs an array-element "
                    + "field, one with a [] segment as in \"tags.[]\"; these fields have none: "
                    + String.join(", ", definition.fields()));
        }
        JsonNode partial = definition.partialFilterSelector();
        if (partial != null) {
            Selector.parse(partial);
        }
        Boolean partitioned = definition.partitioned();
        if (Boolean.TRUE.equals(partitioned) && !dbPartitioned) {
            throw new ArborException.BadRequest("invalid_partitioned_option",
                    "Partitioned indexes can only be created on partitioned databases");
        }
        String generated = generatedName(definition);
        String ddocId = DesignIndexes.ddocId(definition.ddoc() == null ? generated : definition.ddoc());
        String name = definition.name() == null ? generated : definition.name();
        for (int attempt = 1; ; attempt++) {
            ObjectNode ddoc = existing(ddocId);
            if (ddoc != null && !DesignIndexes.isQueryDesignDoc(ddoc)) {
                throw new ArborException.BadRequest("invalid_ddoc_lang",
                        "Existing design doc has an invalid language: " + Json.text(ddoc.path("language")));
            }
            if (ddoc != null && partitioned != null && DesignIndexes.partitioned(ddoc, dbPartitioned) != partitioned) {
                // A design document is partitioned or not as a whole (CouchDB's set_ddoc_partitioned).
                throw new ArborException.BadRequest("invalid_partitioned_option",
                        "Requested partitioned option does not match existing value on design document " + ddocId);
            }
            if (ddoc != null && DesignIndexes.hasSameIndex(ddoc, ddocId, name, definition.fields(), partial)) {
                return new IndexResult(false, ddocId, name);
            }
            if (ddoc == null) {
                ddoc = Json.object();
                ddoc.put("_id", ddocId);
                ddoc.put("language", DesignIndexes.LANGUAGE);
                if (partitioned != null) {
                    ddoc.putObject("options").put("partitioned", partitioned.booleanValue());
                }
            }
            ObjectNode views = ddoc.path("views").isObject() ? (ObjectNode) ddoc.get("views") : ddoc.putObject("views");
            views.set(name, DesignIndexes.view(definition.fields(), partial));
            try {
                db.put(ddoc);
                return new IndexResult(true, ddocId, name);
            } catch (ArborException.Conflict e) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw new ArborException.Internal("Encountered a conflict while saving the design document.", e);
                }
            }
        }
    }

    @Override
    public void deleteIndex(String ddocName, String name) {
        String ddocId = DesignIndexes.ddocId(ddocName);
        for (int attempt = 1; ; attempt++) {
            ObjectNode ddoc = existing(ddocId);
            MangoIndex index = ddoc == null ? null : DesignIndexes.indexes(ddocId, ddoc, dbPartitioned).stream()
                    .filter(i -> i.name().equals(name)).findFirst().orElse(null);
            if (index == null) {
                throw new ArborException.NotFound("Index not found");
            }
            ((ObjectNode) ddoc.get("views")).remove(name);
            try {
                if (ddoc.get("views").isEmpty()) {
                    // Only the index made this design document; it goes with its last index, as in CouchDB.
                    db.remove(ddocId, ddoc.get("_rev").asText());
                } else {
                    db.put(ddoc);
                }
                updater.drop(MangoSpaces.KIND, index.signature());
                return;
            } catch (ArborException.Conflict e) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw new ArborException.Internal("Encountered a conflict while saving the design document.", e);
                }
            }
        }
    }

    /**
     * Drops the rows of every Mango index no current design document defines: those of a {@code language:
     * "query"} design document deleted or edited directly (PUT/DELETE of the document, not {@code _index}),
     * whose changed definition has a new signature and is rebuilt from empty by its next query. As in CouchDB,
     * where Mango indexes are views, this happens on {@code POST /{db}/_view_cleanup}; until then the old rows
     * are unused.
     */
    public void cleanup() {
        Set<ByteBuffer> live = new HashSet<>();
        indexList().forEach(index -> live.add(ByteBuffer.wrap(index.signature())));
        for (ByteBuffer stored : IndexUpdater.storedSignatures(store, MangoSpaces.KIND, MangoIndex.SIGNATURE_BYTES)) {
            if (!live.contains(stored)) {
                updater.drop(MangoSpaces.KIND, stored.array());
                updater.forget(MangoSpaces.KIND, stored.array());
            }
        }
    }

    private ObjectNode existing(String ddocId) {
        try {
            return db.get(ddocId);
        } catch (ArborException.NotFound e) {
            return null;
        }
    }

    /** The name CouchDB gives an index (and its design doc) when the request names none: a digest of the definition. */
    private static String generatedName(IndexDefinition definition) {
        ObjectNode def = Json.object();
        def.set("fields", Json.MAPPER.valueToTree(definition.fields()));
        if (definition.partialFilterSelector() != null) {
            def.set("partial_filter_selector", definition.partialFilterSelector());
        }
        if (definition.partitioned() != null) {
            // A global and a partitioned index on the same fields are two indexes, in two design documents.
            def.put("partitioned", definition.partitioned());
        }
        if (definition.name() != null) {
            // CouchDB hashes the whole request, name included: two names for the same fields are two design docs.
            def.put("name", definition.name());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(Json.text(def).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

}
