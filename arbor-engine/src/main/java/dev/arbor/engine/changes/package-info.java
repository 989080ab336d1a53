/**
 * The design-document filters of a database's changes feed ({@code filter=ddoc/name} and {@code filter=_view}),
 * shared by every reader of the feed: the HTTP {@code _changes} endpoint and in-process callers such as the
 * replicator go through {@link dev.arbor.api.Database#changes} and meet the same code here.
 */
package dev.arbor.engine.changes;
