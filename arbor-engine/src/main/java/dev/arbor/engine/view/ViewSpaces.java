package dev.arbor.engine.view;

import dev.arbor.engine.index.IndexKind;
import dev.arbor.engine.kv.Space;

import java.util.List;

/** The spaces of view indexes, and their kind. Their checkpoints are in the document store's meta space, to commit with rows. */
public final class ViewSpaces {
    /**
     * View rows: (design doc signature, view ordinal, {@code KeyEncoding} of (key, doc id), 0x00, emit rank) →
     * {@code [key, value, doc id]} as JSON. One contiguous range per view, in CouchDB's row order.
     */
    static final Space ROWS = Space.register("view_rows", false);
    /** (design doc signature, doc id) → the doc's row keys in {@link #ROWS}, so an update can drop stale rows. */
    static final Space DOCS = Space.registerStructural("view_docs", true);
    /**
     * Cached reductions: (design doc signature, view ordinal, {@code KeyEncoding} of key) → {@code [key, rows,
     * reduction]} for every distinct key, so grouped and ranged reduce queries combine per-key reductions
     * instead of re-reducing every row.
     */
    static final Space REDUCE = Space.register("view_reduce", false);

    public static final List<Space> ALL = List.of(ROWS, DOCS, REDUCE);

    /** JavaScript views and typed Java views, one kind of index: the same rows, back-index and reductions. */
    static final IndexKind KIND = new IndexKind("view", ALL);

    private ViewSpaces() {
    }
}
