package dev.arbor.api.find;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * How a query would run ({@code POST /{db}/_explain}): the index chosen, the key ranges it reads, the
 * indexes considered and why each was or was not usable.
 *
 * @param index        the index the query reads (the first one, when a union reads several)
 * @param selector     the selector, normalized
 * @param fields       the projection; null for every field
 * @param strategy     one index range, a union of ranges (for {@code $or}/{@code $in}), or a full scan
 * @param scans        every range read, in order
 * @param sortInMemory true when no index gives the requested order and results are sorted after matching
 * @param candidates   every index considered, best first
 * @param warnings     the warnings the query would return
 */
public record Explain(String dbname, IndexInfo index, JsonNode selector, FindRequest request, List<String> fields,
                      Strategy strategy, List<Scan> scans, boolean sortInMemory, List<Candidate> candidates,
                      List<String> warnings) {

    public Explain {
        fields = fields == null ? null : List.copyOf(fields);
        scans = List.copyOf(scans);
        candidates = List.copyOf(candidates);
        warnings = List.copyOf(warnings);
    }

    public enum Strategy {
        /** One contiguous range of one index. */
        INDEX_SCAN,
        /** Several ranges (one per branch of an {@code $or} or value of an {@code $in}), results merged without duplicates. */
        INDEX_UNION,
        /** Every document, through {@code _all_docs}: no index narrows the selector. */
        FULL_SCAN
    }

    /**
     * One range of one index. Keys are JSON arrays of the indexed fields' values (for {@code _all_docs}, the id);
     * a null bound is open.
     */
    public record Scan(IndexInfo index, JsonNode startKey, boolean inclusiveStart, JsonNode endKey, boolean inclusiveEnd,
                       boolean descending) {}

    /**
     * An index the planner looked at.
     *
     * @param usable  whether it can answer the query at all
     * @param reasons why it was not usable, or why it ranked where it did
     * @param ranking 1 for the chosen index, then upwards; 0 when not usable
     */
    public record Candidate(IndexInfo index, boolean usable, List<String> reasons, int ranking) {
        public Candidate {
            reasons = List.copyOf(reasons);
        }
    }
}
