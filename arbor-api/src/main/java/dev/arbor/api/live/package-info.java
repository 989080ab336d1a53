/**
 * Live queries: a Mango selector or a view range whose result is kept current. A subscriber receives the result once
 * ({@link dev.arbor.api.live.LiveResult}), then {@link dev.arbor.api.live.LiveUpdate}s, each a list of
 * {@link dev.arbor.api.live.Delta}s that, applied in order, turn the previous result into the result at the update's
 * sequence. {@link dev.arbor.api.live.LiveQueries#over} runs them over any {@link dev.arbor.api.Database}, reading
 * only its contract (its commit listener, changes feed, Mango and views), so the same code serves an embedded
 * database and the server's protocol connections, the latter over the caller's own view of the database.
 */
package dev.arbor.api.live;
