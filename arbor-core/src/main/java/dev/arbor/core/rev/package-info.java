/**
 * Revision trees: the edit history of one document, with CouchDB's {@code couch_key_tree} semantics.
 *
 * <p>A {@link dev.arbor.core.rev.RevTree} is an immutable forest of revisions. Edits and replicated
 * histories enter it as {@link dev.arbor.core.rev.RevPath}s through {@code merge}; {@code stem}
 * enforces {@code _revs_limit}; {@code winner}, {@code conflicts} and friends answer reads; and
 * {@code encode}/{@code decode} give the compact form the storage engine keeps with each document.
 * {@link dev.arbor.core.rev.RevHasher} makes the id of a new revision exactly as CouchDB 3 does (an MD5 of the
 * edit in Erlang's external term format, written by {@code ErlangTermFormat}), so the same edit on Arbor and on
 * CouchDB is the same revision.
 */
package dev.arbor.core.rev;
