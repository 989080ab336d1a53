package dev.arbor.engine.mango;

import dev.arbor.engine.index.IndexKind;
import dev.arbor.engine.kv.Space;

import java.util.List;

/** The spaces of Mango's indexes. Their checkpoints are in the document store's meta space, to commit with rows. */
public final class MangoSpaces {
    /**
     * Mango index rows: (index signature, {@code KeyEncoding} of the indexed values, doc id) → nothing. One
     * contiguous range per index; a query reads one range per equality prefix or range.
     */
    static final Space ROWS = Space.registerStructural("mango_rows", false);
    /** (index signature, doc id) → that document's row key in {@link #ROWS}, so an update can drop the old row. */
    static final Space DOCS = Space.registerStructural("mango_docs", true);

    public static final List<Space> ALL = List.of(ROWS, DOCS);

    /** Mango's {@code json} indexes, one kind of index. */
    static final IndexKind KIND = new IndexKind("mango", ALL);

    private MangoSpaces() {
    }
}
