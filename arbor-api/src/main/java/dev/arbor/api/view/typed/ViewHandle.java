package dev.arbor.api.view.typed;

import dev.arbor.api.key.Key;

import java.util.List;

/**
 * A typed view registered on a database ({@link dev.arbor.api.Database#view}). Thread-safe. Reduce methods of a
 * view without a reduce fail with {@code query_parse_error} (400).
 */
public interface ViewHandle<K, V> {

    TypedView<K, V> view();

    /** The rows the query selects, in key order (then document id), or the reverse when descending. */
    List<TypedRow<K, V>> query(TypedQuery<K> query);

    /**
     * The rows with their documents as they are when read (just after the rows): a row whose document was deleted
     * in between is left out.
     */
    List<DocumentRow<K, V>> queryWithDocs(TypedQuery<K> query);

    /** The reduction of every selected row, or null when no row is selected. */
    V reduce(TypedQuery<K> query);

    /** One reduction per distinct key of the selected rows. */
    List<GroupedReduction<K, V>> reduceGrouped(TypedQuery<K> query);

    /**
     * One reduction per group of keys that share their first {@code groupLevel} components (CouchDB's
     * {@code group_level}), for array-like keys such as records and lists; {@code groupKey} reads a group's key,
     * the key's first {@code groupLevel} components as a JSON array (for a key that is not array-like, the key).
     */
    <G> List<GroupedReduction<G, V>> reduceGrouped(TypedQuery<K> query, int groupLevel, Key<G> groupKey);

    /** Deletes every document that has a selected row; returns how many were deleted. */
    long deleteDocs(TypedQuery<K> query);

    /**
     * The state of the view's index, as CouchDB's {@code _design/{ddoc}/_info} gives a design document's: signature,
     * the seq it reflects, whether an update runs, its size, and its row count. Does not update the index. Reads
     * every row to size them (as {@code _info} does), so it costs O(rows).
     */
    ViewInfo info();
}
