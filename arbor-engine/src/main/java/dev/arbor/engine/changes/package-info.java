/**
 * A database's changes feed ({@link dev.arbor.engine.changes.EngineChanges}: {@code _changes} and the commit
 * listeners) and its design-document filters ({@code filter=ddoc/name} and {@code filter=_view}), shared by every
 * reader of the feed: the HTTP {@code _changes} endpoint and in-process callers such as the replicator go through
 * {@link dev.arbor.api.Database#changes} and meet the same code here.
 */
package dev.arbor.engine.changes;
