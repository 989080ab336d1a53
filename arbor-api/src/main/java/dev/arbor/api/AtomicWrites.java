package dev.arbor.api;

import java.util.List;

/**
 * Several documents written as one: all or none. CouchDB 3 has no such write ({@code all_or_nothing} was dropped
 * from {@code _bulk_docs} in CouchDB 2.0), so only backends that own their storage have this facet
 * ({@link Database#atomicWrites()}); one that only speaks CouchDB's HTTP API, such as the remote client, lacks it.
 */
public interface AtomicWrites {

    /**
     * Writes several documents atomically: every edit commits in one batch, or none does and the call throws the
     * first failing edit's error (a stale revision is a {@code conflict} whose reason names the edit's position and
     * document id). Each {@link AtomicWrite.Edit} is checked against its {@code _rev} as {@link Documents#put} checks it.
     * The collections' transactions are built on this.
     *
     * @return the new revisions, in request order
     */
    List<DocResult.Ok> bulkDocsAllOrNothing(List<AtomicWrite> writes);
}
