package dev.arbor.api.view.typed;

import dev.arbor.api.view.ViewIndexInfo;

/**
 * The state of a typed view's index ({@link ViewHandle#info()}): what CouchDB's {@code _design/{ddoc}/_info} says of
 * a design document's index, with the view's own version, update policy and row count.
 *
 * @param version      the view's {@link TypedView#version()}
 * @param updatePolicy the view's {@link TypedView#updatePolicy()}
 * @param totalRows    the rows of the index at its checkpoint ({@code total_rows} of a query that does not update);
 *                     0 before the first build
 * @param index        the index: {@code name} is the view's, {@code signature} the hex digest that identifies the
 *                     index's data (a new version or key layout gives a new one), {@code language} is
 *                     {@code "java"}, {@code updateSeq} the database seq it reflects, {@code updaterRunning} whether
 *                     an update runs, {@code activeSize} the bytes of its rows
 */
public record ViewInfo(long version, ViewUpdatePolicy updatePolicy, long totalRows, ViewIndexInfo index) {
    public String name() {
        return index.name();
    }
}
