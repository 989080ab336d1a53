package dev.arbor.engine.store;

import dev.arbor.engine.kv.Space;

import java.util.List;

/** The document store's spaces: documents, their revisions and changes, local documents, and the database's meta. */
public final class DocSpaces {
    /** doc id (UTF-8) → {@code DocRecord}: revision tree, current seq, winning revision's body. */
    public static final Space DOCS = Space.register("docs", true, DocRecord::winnerDeletedSummary);
    /** (doc id, rev) → body of a non-winning revision. */
    public static final Space REVS = Space.register("revs", true);
    /** seq (8 bytes, big-endian) → {@code SeqEntry}: doc id, deleted, leaf revs. One entry per doc, at its latest seq. */
    public static final Space SEQ = Space.registerStructural("seq", false);
    /** local doc id → local revision number and body. */
    public static final Space LOCAL = Space.register("local", true);
    /**
     * counters and settings: update_seq, doc counts, purge_seq, security, revs_limit; live counts per id range; the
     * index checkpoints of Mango and views, which commit with their rows.
     */
    public static final Space META = Space.register("meta", false);

    public static final List<Space> ALL = List.of(DOCS, REVS, SEQ, LOCAL, META);

    private DocSpaces() {
    }
}
