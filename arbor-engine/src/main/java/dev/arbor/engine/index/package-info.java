/**
 * The one mechanism that keeps every secondary index of a database: Mango indexes, JavaScript views and typed Java
 * views are kinds of it, and full-text and vector indexes will be.
 *
 * <p>The framework owns what every index needs and no kind should write twice: one update at a time per index
 * ({@link dev.arbor.engine.index.IndexUpdater}), catch-up from the by-sequence log in batches that each commit with
 * the index's checkpoint (so a crash leaves the index exactly at a checkpoint), first builds that commit one batch
 * while the next is mapped, queries that read with {@code update=true|false|lazy}, updates inside the writer's
 * commit for indexes kept eagerly, rebuilds when purges or a changed layout make the rows unusable, integrity
 * checks, and dropping an index's data.
 *
 * <p>A kind supplies only what differs ({@link dev.arbor.engine.index.Index}, {@link dev.arbor.engine.index.IndexPass}):
 * the spaces its rows live in, how a changed document turns into rows, what it aggregates per batch (a view's
 * reductions), and what its checkpoint remembers besides the sequence (a view's row counts). Every key of an index
 * starts with its signature, so the framework can find and drop an index's data without knowing its layout.
 */
package dev.arbor.engine.index;
