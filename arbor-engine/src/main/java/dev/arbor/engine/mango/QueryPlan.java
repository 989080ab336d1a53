package dev.arbor.engine.mango;

import dev.arbor.api.find.Explain;
import dev.arbor.api.find.IndexInfo;

import java.util.List;

/**
 * How a query reads: the ranges to scan, whether their order is the answer's order, and what the planner
 * considered on the way.
 *
 * @param scans        the ranges; empty when the selector provably matches nothing
 * @param sortInMemory true when the results must be sorted after matching (no index gives the order, or a union)
 * @param chosen       the index shown as "the" index (the first scan's)
 */
record QueryPlan(Explain.Strategy strategy, List<Scan> scans, boolean sortInMemory, IndexInfo chosen,
                 List<Explain.Candidate> candidates, List<String> warnings) {

    QueryPlan {
        scans = List.copyOf(scans);
        candidates = List.copyOf(candidates);
        warnings = List.copyOf(warnings);
    }

    /** Whether results come out of the scan in their final order, so a page can stop early and resume at a key. */
    boolean streams() {
        return scans.size() == 1 && !sortInMemory;
    }

    /** One range to read, and how {@code _explain} shows it. */
    sealed interface Scan {
        Explain.Scan shown();

        boolean descending();
    }

    /** Rows of a json index in {@code [from, to)} of {@link MangoSpaces#ROWS}. */
    record IndexRange(MangoIndex index, byte[] from, byte[] to, boolean descending, Explain.Scan shown) implements Scan {}

    /** Live documents with ids in {@code [fromId, toId)} (raw order; null bounds open), through {@code _all_docs}. */
    record IdRange(String fromId, String toId, boolean descending, Explain.Scan shown) implements Scan {}
}
