package dev.arbor.collection;

import dev.arbor.api.key.Key;
import dev.arbor.api.view.typed.DocumentRow;
import dev.arbor.api.view.typed.GroupedReduction;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedRow;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.api.view.typed.ViewInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * A collection view of one database, to query (BonsaiDb's {@code db.view::<View>()}): the engine's typed view
 * ({@link ViewHandle}) with rows that name records by primary key and documents read back as records. Queries take
 * a {@link TypedQuery} ({@code TypedQuery.key("rust")}, {@code range}, {@code keys}, {@code all}, with descending,
 * skip, limit and an access policy). Reduce methods of a view without a reduce fail with {@code query_parse_error}.
 *
 * <p>Thread-safe: it holds no state besides the engine's handle.
 *
 * @param <T> the collection's record type
 * @param <P> the collection's primary-key type
 * @param <K> the view's key type
 * @param <V> the view's value type
 */
public final class CollectionViewHandle<T, P, K, V> {
    private final CollectionHandle<T, P> records;
    private final ViewHandle<K, V> view;

    CollectionViewHandle(CollectionHandle<T, P> records, ViewHandle<K, V> view) {
        this.records = records;
        this.view = view;
    }

    /** The rows the query selects, in key order (then record), or the reverse when descending. */
    public List<CollectionViewRow<K, V, P>> query(TypedQuery<K> query) {
        List<CollectionViewRow<K, V, P>> rows = new ArrayList<>();
        for (TypedRow<K, V> row : view.query(query)) {
            rows.add(new CollectionViewRow<>(row.key(), row.value(), records.collection().keyOf(row.docId())));
        }
        return rows;
    }

    /**
     * The rows with their records as they are when read (just after the rows): a row whose record was deleted in
     * between is left out.
     */
    public List<CollectionViewDocument<K, V, T, P>> queryWithDocs(TypedQuery<K> query) {
        List<CollectionViewDocument<K, V, T, P>> rows = new ArrayList<>();
        for (DocumentRow<K, V> row : view.queryWithDocs(query)) {
            rows.add(new CollectionViewDocument<>(row.key(), row.value(), records.document(row.document())));
        }
        return rows;
    }

    /** The reduction of every selected row, or null when no row is selected. */
    public V reduce(TypedQuery<K> query) {
        return view.reduce(query);
    }

    /** One reduction per distinct key of the selected rows, in key order. */
    public List<GroupedReduction<K, V>> reduceGrouped(TypedQuery<K> query) {
        return view.reduceGrouped(query);
    }

    /**
     * One reduction per group of keys sharing their first {@code groupLevel} components, for array-like keys
     * (records, lists); see {@link ViewHandle#reduceGrouped(TypedQuery, int, Key)}.
     */
    public <G> List<GroupedReduction<G, V>> reduceGrouped(TypedQuery<K> query, int groupLevel, Key<G> groupKey) {
        return view.reduceGrouped(query, groupLevel, groupKey);
    }

    /** Deletes every record that has a selected row (through the usual write path: hooks run); returns how many. */
    public long deleteDocs(TypedQuery<K> query) {
        return view.deleteDocs(query);
    }

    /** The state of the view's index ({@link ViewHandle#info()}): signature, seq, rows, size. */
    public ViewInfo info() {
        return view.info();
    }

    /** The same queries, each run on a virtual thread and answered by a future. */
    public AsyncCollectionViewHandle<T, P, K, V> async() {
        return new AsyncCollectionViewHandle<>(this);
    }
}
