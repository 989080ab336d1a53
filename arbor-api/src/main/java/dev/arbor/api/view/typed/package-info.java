/**
 * Typed views, the BonsaiDb way: a view is a small Java class ({@link dev.arbor.api.view.typed.TypedView}) that maps
 * a document to typed {@code (key, value)} rows, with an optional reduce, a name and a version. Keys are
 * {@link dev.arbor.api.key.Key} types, so their order, ranges and group levels are those of the Java type; values are
 * anything Jackson writes. {@link dev.arbor.api.Database#view} registers a view and returns its
 * {@link dev.arbor.api.view.typed.ViewHandle} for queries, reductions and deletes.
 *
 * <p>Java code runs where it is defined, so typed views exist on embedded (engine) databases only; a remote
 * database refuses them.
 */
package dev.arbor.api.view.typed;
