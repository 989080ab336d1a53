package dev.arbor.core.mango;

import java.util.List;

/**
 * What a selector asks of a JSON index on some fields ({@link Selector#coverage}).
 *
 * @param ranges   one range per index field, in the index's field order, narrowed by the {@code $eq},
 *                 {@code $gt}, {@code $gte}, {@code $lt} and {@code $lte} conditions the selector puts on
 *                 that field at its top level (directly or under {@code $and}); {@link FieldRange#unbounded}
 *                 for an index field the top level does not compare
 * @param complete whether every matching document has all index fields, so the index (which holds only
 *                 such documents) holds every match; CouchDB's condition for using the index at all
 * @param exact    whether scanning the key span the ranges describe yields exactly the matching documents,
 *                 so the planner can skip re-checking the selector: the selector is complete and is nothing
 *                 but range conditions (and {@code $exists: true}) on index fields, and every range before the
 *                 last bounded field is a single value (a compound key span {@code [1, 5]..[3, 9]} also holds
 *                 {@code [2, 100]})
 */
public record IndexCoverage(List<FieldRange> ranges, boolean complete, boolean exact) {
    public IndexCoverage {
        ranges = List.copyOf(ranges);
    }

    /** Whether some range is empty, so the selector matches no document at all. */
    public boolean isEmpty() {
        return ranges.stream().anyMatch(FieldRange::isEmpty);
    }

    /** How many leading index fields are pinned to a single value. */
    public int equalityPrefix() {
        int n = 0;
        while (n < ranges.size() && ranges.get(n).isPoint()) {
            n++;
        }
        return n;
    }
}
