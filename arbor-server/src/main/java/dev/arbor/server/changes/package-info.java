/**
 * {@code /{db}/_changes} with CouchDB 3.x semantics: the normal, longpoll, continuous and eventsource
 * feeds, their parameters and filters, and the machinery that lets thousands of live feeds wait
 * without a thread each.
 *
 * <p>How a request flows: {@link dev.arbor.server.changes.ChangesRequestParser} turns the query
 * string and body into a {@link dev.arbor.server.changes.ChangesRequest} (all validation happens
 * there, before a byte is written, so errors keep their status codes);
 * {@link dev.arbor.server.changes.ChangesService} admits the feed (a bounded number may be open) and
 * runs a {@link dev.arbor.server.changes.ChangesFeed} on the request's own virtual thread. A live feed
 * reads in rounds through {@link dev.arbor.server.changes.FilteredChangesReader} and, between rounds, parks
 * on the database's {@link dev.arbor.server.changes.CommitWatch}: one commit listener per database,
 * shared by all its feeds, which unparks them when the update sequence passes theirs.
 */
package dev.arbor.server.changes;
