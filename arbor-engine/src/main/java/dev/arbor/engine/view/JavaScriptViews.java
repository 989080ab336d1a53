package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Seq;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewSink;
import dev.arbor.core.collate.Collation;
import dev.arbor.core.error.ArborException;
import dev.arbor.engine.index.IndexUpdater;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.js.JsOptions;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JavaScript views of one engine database: queries ({@code _view}), index info ({@code _info}) and
 * {@code _view_cleanup}. Definitions live in design documents; each design document's views share one index
 * (rows, back-index, per-key reductions), kept up to date by the database's {@link IndexUpdater}.
 */
public final class JavaScriptViews {
    private static final System.Logger LOG = System.getLogger(JavaScriptViews.class.getName());
    private static final String DESIGN_PREFIX = "_design/";

    private final KvStore store;
    private final IndexUpdater updater;
    private final JsOptions jsOptions;
    /** Whether the database is partitioned: its design documents are then partitioned unless they say otherwise. */
    private final boolean partitionedDatabase;
    /** Compiled design documents by id; recompiled when the revision changes. */
    private final ConcurrentHashMap<String, DesignViews> compiled = new ConcurrentHashMap<>();

    public JavaScriptViews(KvStore store, IndexUpdater updater, JsOptions jsOptions, boolean partitionedDatabase) {
        this.store = store;
        this.updater = updater;
        this.jsOptions = jsOptions;
        this.partitionedDatabase = partitionedDatabase;
    }

    /** {@code _design/name} for a design document named with or without its prefix. */
    public static String ddocId(String name) {
        return name.startsWith(DESIGN_PREFIX) ? name : DESIGN_PREFIX + name;
    }

    /** The compiled current revision of a design document; {@code not_found} when it is missing or deleted. */
    DesignViews design(String ddoc) {
        String id = ddocId(ddoc);
        ObjectNode doc = StoredDocs.winner(store, id, false);
        if (doc == null) {
            throw new ArborException.NotFound("missing");
        }
        String rev = doc.path("_rev").asText();
        DesignViews current = compiled.get(id);
        if (current != null && current.rev().equals(rev)) {
            return current;
        }
        DesignViews fresh = DesignViews.compile(doc, jsOptions, partitionedDatabase);
        compiled.put(id, fresh);
        return fresh;
    }

    /** {@code GET /{db}/_design/{ddoc}/_view/{view}}. */
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        query(ddoc, view, null, query, sink);
    }

    /**
     * {@code GET /{db}/_partition/{partition}/_design/{ddoc}/_view/{view}} (a null partition: the global query).
     * A partitioned design document answers partition queries only, a global one global queries only, with
     * CouchDB's errors (couch_mrview's {@code query_parse_error}s).
     */
    public void query(String ddoc, String view, String partition, ViewQuery query, ViewSink sink) {
        query(ddoc, view, partition, query, null, sink);
    }

    /**
     * A query whose reduction counts only the rows emitted by the documents {@code emittedBy} accepts (null: every
     * row), for a caller who may read only those ({@link dev.arbor.api.Views#reduceOver}).
     */
    public void query(String ddoc, String view, String partition, ViewQuery query,
                      java.util.function.Predicate<String> emittedBy, ViewSink sink) {
        DesignViews design = design(ddoc);
        int ordinal = design.ordinal(view);
        if (ordinal < 0) {
            throw new ArborException.NotFound("missing_named_view");
        }
        if (design.partitioned() && partition == null) {
            throw parseError("`partition` parameter is mandatory for queries to this view.");
        }
        if (!design.partitioned() && partition != null) {
            throw parseError("`partition` parameter is not supported in this design doc");
        }
        query(store, updater, design, List.of(design), ordinal, partition, query, emittedBy, sink);
    }

    /** A query of a typed view, whose updates bring {@code pass} (the view and its group) up to date together. */
    static void query(KvStore store, IndexUpdater updater, ViewDefinition design, List<? extends ViewDefinition> pass,
                      int ordinal, ViewQuery query, ViewSink sink) {
        query(store, updater, design, pass, ordinal, null, query, null, sink);
    }

    /**
     * Answers a query of any view definition: brings the indexes of {@code pass} (which has {@code design}) up to
     * date first, afterwards in the background, or not at all, as {@link ViewQuery#update()} says, then reads one
     * snapshot.
     */
    private static void query(KvStore store, IndexUpdater updater, ViewDefinition design,
                              List<? extends ViewDefinition> pass, int ordinal, String partition, ViewQuery query,
                              java.util.function.Predicate<String> emittedBy, ViewSink sink) {
        boolean hasReduce = design.reduce(ordinal).isPresent();
        boolean reduce = check(query, hasReduce);
        updater.read(pass, freshness(query.update()), () -> {
            try (KvSnapshot snapshot = store.snapshot()) {
                ViewKeys.Checkpoint checkpoint = ViewKeys.Checkpoint.read(snapshot, design.signature());
                boolean built = checkpoint != null && checkpoint.rowCounts().length == design.views().size();
                // The checkpoint counts the whole view's rows; each partition's count is kept beside its rows.
                long totalRows = !built ? 0 : partition != null
                        ? ViewKeys.partitionRows(snapshot, design.signature(), ordinal, partition)
                        : checkpoint.rowCounts()[ordinal];
                Seq updateSeq = !query.updateSeq() ? null : built ? Seq.of(checkpoint.seq()) : Seq.ZERO;
                if (built) {
                    ViewReader.run(snapshot, design, ordinal, partition, query, reduce, emittedBy, totalRows, updateSeq, sink);
                } else {
                    sink.begin(reduce ? -1 : 0, reduce ? -1 : 0, updateSeq);
                }
            }
            return null;
        });
    }

    private static IndexUpdater.Freshness freshness(ViewQuery.Update update) {
        return switch (update) {
            case TRUE -> IndexUpdater.Freshness.UPDATE_BEFORE;
            case FALSE -> IndexUpdater.Freshness.AS_IS;
            case LAZY -> IndexUpdater.Freshness.UPDATE_AFTER;
        };
    }

    /** Refuses what CouchDB refuses ({@code query_parse_error}); returns whether the answer is reduced. */
    private static boolean check(ViewQuery query, boolean hasReduce) {
        if (query.keys() != null && (query.key() != null || query.startkey() != null || query.endkey() != null)) {
            throw parseError("`keys` is incompatible with `key`, `start_key` and `end_key`");
        }
        if (Boolean.TRUE.equals(query.reduce()) && !hasReduce) {
            throw parseError("Reduce is invalid for map-only views.");
        }
        boolean reduce = hasReduce && !Boolean.FALSE.equals(query.reduce());
        if (!reduce && query.effectiveGroupLevel() != 0) {
            throw parseError("Invalid use of grouping on a map view.");
        }
        if (reduce && query.includeDocs()) {
            throw parseError("`include_docs` is invalid for reduce");
        }
        if (reduce && query.keys() != null && !query.grouped()) {
            throw parseError("Multi-key fetches for reduce views must use `group=true`");
        }
        if (query.key() == null && query.startkey() != null && query.endkey() != null) {
            int order = Collation.INSTANCE.compare(query.startkey(), query.endkey());
            if (query.descending() ? order < 0 : order > 0) {
                throw parseError("No rows can match your key range, reverse your start_key and end_key or set "
                        + "descending=" + !query.descending());
            }
        }
        return reduce;
    }

    private static ArborException.BadRequest parseError(String reason) {
        return new ArborException.BadRequest("query_parse_error", reason);
    }

    /** {@code GET /{db}/_design/{ddoc}/_info}. */
    public ViewIndexInfo info(String ddoc) {
        DesignViews design = design(ddoc);
        try (KvSnapshot snapshot = store.snapshot()) {
            return indexInfo(snapshot, updater, design, design.id().substring(DESIGN_PREFIX.length()),
                    design.functions().viewSignature(), "javascript");
        }
    }

    /**
     * The {@code _info} of any view index, read from one snapshot: its checkpoint, whether an update runs, and the
     * bytes of its rows (read, so O(rows): CouchDB also answers {@code _info} from the index file).
     *
     * @param signature the signature to show (CouchDB's digest of the views for a design document)
     */
    static ViewIndexInfo indexInfo(KvSnapshot snapshot, IndexUpdater updater, ViewDefinition design, String name,
                                   String signature, String language) {
        ViewKeys.Checkpoint checkpoint = ViewKeys.Checkpoint.read(snapshot, design.signature());
        IndexUpdater.Activity activity = updater.activity(design);
        long size = 0;
        for (int ordinal = 0; ordinal < design.views().size(); ordinal++) {
            byte[] prefix = ViewKeys.viewPrefix(design.signature(), ordinal);
            try (KvCursor cursor = snapshot.scan(ViewSpaces.ROWS, prefix, ViewKeys.end(prefix), false)) {
                while (cursor.next()) {
                    size += cursor.key().length + cursor.value().length;
                }
            }
        }
        return new ViewIndexInfo(name, signature, language, checkpoint == null ? 0 : checkpoint.seq(),
                checkpoint == null ? 0 : checkpoint.purgeSeq(), activity.running(), activity.waiting(), size);
    }

    /**
     * The integrity check ({@link IndexUpdater#verify}) of the index of every JavaScript design document that has
     * one, as {@code ArborOptions.verifyViews} asks on open: an index that disagrees with its checkpoint (rows,
     * reductions, partition row counts, back-index) is cleared, and its next query rebuilds it. A design document
     * that does not compile has no index to check. Returns the ids of the design documents whose index was cleared.
     */
    public List<String> verify() {
        List<String> ids = new java.util.ArrayList<>();
        try (KvSnapshot snapshot = store.snapshot()) {
            StoredDocs.scanById(snapshot, DESIGN_PREFIX, "_design0", false, false, (id, doc) -> {
                if (isJavaScript(doc) && doc.path("views").isObject() && !doc.path("views").isEmpty()) {
                    ids.add(id);
                }
                return true;
            });
        }
        List<String> cleared = new java.util.ArrayList<>();
        for (String id : ids) {
            DesignViews design;
            try {
                design = design(id);
            } catch (ArborException e) {
                LOG.log(System.Logger.Level.DEBUG, "design document " + id + " does not compile", e);
                continue;
            }
            if (!updater.verify(design)) {
                cleared.add(id);
            }
        }
        return cleared;
    }

    /**
     * {@code POST /{db}/_view_cleanup}: drops every index no current design document defines (an old version of a
     * changed design document, or a deleted one's).
     */
    public void cleanup() {
        cleanup(Set.of());
    }

    /** {@link #cleanup()}, keeping also the indexes whose signatures (hex) are in {@code alsoLive} (typed views). */
    public void cleanup(Set<String> alsoLive) {
        Set<String> live = new HashSet<>(alsoLive);
        try (KvSnapshot snapshot = store.snapshot()) {
            StoredDocs.scanById(snapshot, DESIGN_PREFIX, "_design0", false, false, (id, doc) -> {
                if (isJavaScript(doc)) {
                    try {
                        live.add(design(id).signatureHex());
                    } catch (ArborException e) {
                        LOG.log(System.Logger.Level.DEBUG, "design document " + id + " does not compile", e);
                    }
                }
                return true;
            });
        }
        for (ByteBuffer stored : IndexUpdater.storedSignatures(store, ViewSpaces.KIND, ViewDefinition.SIGNATURE_BYTES)) {
            byte[] signature = stored.array();
            if (!live.contains(java.util.HexFormat.of().formatHex(signature))) {
                updater.drop(ViewSpaces.KIND, signature);
                updater.forget(ViewSpaces.KIND, signature);
            }
        }
        compiled.keySet().removeIf(id -> StoredDocs.winner(store, id, false) == null);
    }

    private static boolean isJavaScript(JsonNode doc) {
        JsonNode language = doc.get("language");
        return language == null || language.isNull() || "javascript".equals(language.asText());
    }
}
