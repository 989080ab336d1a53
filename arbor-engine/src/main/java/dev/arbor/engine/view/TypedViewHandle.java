package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.DocResult;
import dev.arbor.api.Seq;
import dev.arbor.api.key.Key;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.api.view.typed.DocumentRow;
import dev.arbor.api.view.typed.GroupedReduction;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedRow;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.api.view.typed.ViewInfo;
import dev.arbor.core.json.Json;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.kv.KvSnapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed view's queries, answered by the same reader as JavaScript views: a {@link TypedQuery} becomes a
 * {@link ViewQuery} over the keys' JSON forms, and rows come back typed. Stateless apart from its definition.
 */
final class TypedViewHandle<K, V> implements ViewHandle<K, V> {
    private final TypedViewRegistry views;
    private final TypedViewDefinition<K, V> definition;

    TypedViewHandle(TypedViewRegistry views, TypedViewDefinition<K, V> definition) {
        this.views = views;
        this.definition = definition;
    }

    @Override
    public TypedView<K, V> view() {
        return definition.view();
    }

    @Override
    public List<TypedRow<K, V>> query(TypedQuery<K> query) {
        List<TypedRow<K, V>> rows = new ArrayList<>();
        run(viewQuery(query).reduce(false).build(), row -> rows.add(
                new TypedRow<>(definition.key(row.key()), definition.value(row.value()), row.id())));
        return rows;
    }

    @Override
    public List<DocumentRow<K, V>> queryWithDocs(TypedQuery<K> query) {
        List<TypedRow<K, V>> rows = query(query);
        List<DocumentRow<K, V>> out = new ArrayList<>(rows.size());
        try (KvSnapshot snapshot = views.store().snapshot()) {
            for (TypedRow<K, V> row : rows) {
                ObjectNode doc = StoredDocs.winner(snapshot, row.docId(), false);
                if (doc != null) {
                    out.add(new DocumentRow<>(row.key(), row.value(), row.docId(), doc));
                }
            }
        }
        return out;
    }

    @Override
    public V reduce(TypedQuery<K> query) {
        List<V> values = new ArrayList<>(1);
        run(viewQuery(query).reduce(true).build(), row -> values.add(definition.value(row.value())));
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public List<GroupedReduction<K, V>> reduceGrouped(TypedQuery<K> query) {
        List<GroupedReduction<K, V>> out = new ArrayList<>();
        run(viewQuery(query).reduce(true).group(true).build(), row -> out.add(
                new GroupedReduction<>(definition.key(row.key()), definition.value(row.value()))));
        return out;
    }

    @Override
    public <G> List<GroupedReduction<G, V>> reduceGrouped(TypedQuery<K> query, int groupLevel, Key<G> groupKey) {
        if (groupLevel < 0) {
            throw new IllegalArgumentException("group level must be >= 0");
        }
        List<GroupedReduction<G, V>> out = new ArrayList<>();
        run(viewQuery(query).reduce(true).groupLevel(groupLevel).build(), row -> out.add(
                new GroupedReduction<>(groupKey.fromJson(row.key()), definition.value(row.value()))));
        return out;
    }

    @Override
    public long deleteDocs(TypedQuery<K> query) {
        Map<String, ObjectNode> tombstones = new LinkedHashMap<>();
        for (DocumentRow<K, V> row : queryWithDocs(query)) {
            tombstones.computeIfAbsent(row.docId(), id -> Json.object().put("_id", id)
                    .put("_rev", row.document().path("_rev").asText()).put("_deleted", true));
        }
        if (tombstones.isEmpty()) {
            return 0;
        }
        // A document edited since it was read keeps living (a conflict): only the deleted ones are counted.
        return views.database().bulkDocs(new ArrayList<>(tombstones.values()), true).stream()
                .filter(result -> result instanceof DocResult.Ok).count();
    }

    @Override
    public ViewInfo info() {
        try (KvSnapshot snapshot = views.store().snapshot()) {
            ViewKeys.Checkpoint checkpoint = ViewKeys.Checkpoint.read(snapshot, definition.signature());
            long rows = checkpoint == null || checkpoint.rowCounts().length == 0 ? 0 : checkpoint.rowCounts()[0];
            return new ViewInfo(definition.view().version(), definition.view().updatePolicy(), rows,
                    JavaScriptViews.indexInfo(snapshot, views.updater(), definition, definition.name(),
                            definition.signatureHex(), "java"));
        }
    }

    /**
     * The query in CouchDB's terms. A typed range runs low to high whatever the direction; CouchDB's descending
     * range starts at the high bound, so the bounds swap, and an exclusive high bound becomes a start just below
     * every document id of that key (the empty doc id).
     */
    private ViewQuery.Builder viewQuery(TypedQuery<K> query) {
        ViewQuery.Builder builder = ViewQuery.builder().descending(query.descendingOrder()).skip(query.skipRows())
                .limit(query.limitRows()).update(update(query));
        if (query.key() != null) {
            builder.key(definition.keyJson(query.key()));
        } else if (query.keys() != null) {
            builder.keys(query.keys().stream().map(definition::keyJson).toList());
        } else {
            JsonNode low = query.start() == null ? null : definition.keyJson(query.start());
            JsonNode high = query.end() == null ? null : definition.keyJson(query.end());
            if (!query.descendingOrder()) {
                builder.startkey(low).endkey(high).inclusiveEnd(query.inclusiveEnd());
            } else {
                builder.startkey(high).endkey(low).inclusiveEnd(true);
                if (high != null && !query.inclusiveEnd()) {
                    builder.startkeyDocId("");
                }
            }
        }
        return builder;
    }

    private ViewQuery.Update update(TypedQuery<K> query) {
        if (views.isEager(definition)) {
            return ViewQuery.Update.FALSE;
        }
        return switch (query.accessPolicy()) {
            case UPDATE_BEFORE -> ViewQuery.Update.TRUE;
            case UPDATE_AFTER -> ViewQuery.Update.LAZY;
            case NO_UPDATE -> ViewQuery.Update.FALSE;
        };
    }

    private void run(ViewQuery query, java.util.function.Consumer<ViewRow> rows) {
        JavaScriptViews.query(views.store(), views.updater(), definition, views.passFor(definition), 0, query, new ViewSink() {
            @Override
            public void begin(long totalRows, long offset, Seq updateSeq) {
            }

            @Override
            public void row(ViewRow row) {
                rows.accept(row);
            }
        });
    }
}
