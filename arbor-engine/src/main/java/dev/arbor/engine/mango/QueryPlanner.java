package dev.arbor.engine.mango;

import dev.arbor.core.error.ArborException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.json.Json;
import dev.arbor.core.mango.Condition;
import dev.arbor.core.mango.FieldRange;
import dev.arbor.core.mango.IndexCoverage;
import dev.arbor.core.mango.Selector;
import dev.arbor.core.mango.Sort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses how to answer a selector with the indexes there are.
 *
 * <p>An index is usable when every document the selector matches has all its fields (the index holds only
 * such documents), as in CouchDB; sort fields count as present, because CouchDB leaves documents without a
 * sort field out of sorted results. Among usable indexes the planner prefers, in order: the most leading
 * fields pinned by equality, then a range on the next field (each equality narrows more than a range); an
 * index that gives the requested order; a json index over {@code _all_docs}; fewer fields; then names
 * alphabetically, so the choice is stable.
 *
 * <p>Beyond CouchDB: when the best single index would read everything, and the selector is an {@code $or}
 * (or an {@code $in} on a field) whose every branch some index narrows, the query reads one range per branch
 * and merges them (index union), when no sort is asked for. A sort no usable index gives is refused with
 * CouchDB's {@code no_usable_index}; indexes that cannot give it are not candidates.
 *
 * <p>Partial indexes are used only when {@code use_index} names them, as in CouchDB: whether a selector
 * implies a partial filter is not decidable in general. An index {@code use_index} names but cannot use is
 * ignored with CouchDB's warning.
 */
final class QueryPlanner {
    static final String NO_INDEX_WARNING = "No matching index found, create an index to optimize query time.";
    static final String UNION_SORT_WARNING = "No index gives the requested sort order; the documents the index union "
            + "read were sorted in memory. Create an index on the sort fields to avoid it.";
    static final String NO_SORT_INDEX = "No index exists for this sort, try indexing by the sort fields.";
    /** More branches than this read more ranges than one scan would be worth. */
    static final int MAX_UNION_BRANCHES = 64;

    /** One index judged against one selector. */
    private record Option(MangoIndex index, IndexInfo info, boolean usable, String unusableReason, int score,
                          boolean givesSort, IndexCoverage coverage) {
        boolean isAllDocs() {
            return index == null;
        }
    }

    private static final Comparator<Option> BEST_FIRST = Comparator
            .comparing((Option o) -> !o.usable())
            .thenComparing(o -> -o.score())
            .thenComparing(o -> !o.givesSort())
            .thenComparing(Option::isAllDocs)
            .thenComparing(o -> o.info().fields().size())
            .thenComparing(o -> o.info().ddoc() == null ? "" : o.info().ddoc())
            .thenComparing(o -> o.info().name());

    /**
     * @param indexes   the indexes the query may read (for a partition query, the partitioned ones)
     * @param partition the partition a query is scoped to (its selector already bounds {@code _id} to it); null
     *                  for a global query
     */
    QueryPlan plan(Selector selector, Sort sort, List<String> useIndex, List<MangoIndex> indexes, String partition) {
        List<String> warnings = new ArrayList<>();
        List<MangoIndex> named = indexes.stream().filter(i -> i.isNamedBy(useIndex)).toList();
        List<Option> options = new ArrayList<>();
        for (MangoIndex index : indexes) {
            options.add(evaluate(index, selector, sort));
        }
        options.add(evaluateAllDocs(selector, sort, partition));
        boolean namedUsable = named.stream().anyMatch(i -> options.stream().anyMatch(o -> o.index() == i && o.usable()));
        if (!useIndex.isEmpty() && !namedUsable) {
            warnings.add(useIndex.size() == 1
                    ? DesignIndexes.ddocId(useIndex.get(0)) + " was not used because it does not contain a valid index for this query."
                    : DesignIndexes.ddocId(useIndex.get(0)) + ", " + useIndex.get(1) + " was not used because it is not a valid index for this query.");
        }
        List<Option> ranked = new ArrayList<>();
        List<Explain.Candidate> excluded = new ArrayList<>();
        for (Option option : options) {
            String exclusion = null;
            if (namedUsable && (option.index() == null || !named.contains(option.index()))) {
                exclusion = "excluded_by_user";
            } else if (!namedUsable && option.index() != null && option.index().partialFilter() != null) {
                exclusion = "is_partial";
            } else if (!option.usable()) {
                exclusion = option.unusableReason();
            }
            if (exclusion == null) {
                ranked.add(option);
            } else {
                excluded.add(new Explain.Candidate(option.info(), false, List.of(exclusion), 0));
            }
        }
        if (!sort.isEmpty()) {
            // As CouchDB: an index that cannot give the sort is no index for the query, and none is an error,
            // unless Arbor's index union (which merges and sorts what its branches read) can answer.
            ranked.removeIf(option -> {
                if (option.givesSort()) {
                    return false;
                }
                excluded.add(new Explain.Candidate(option.info(), false, List.of("sort_order"), 0));
                return true;
            });
            if (ranked.isEmpty()) {
                QueryPlan union = namedUsable ? null : union(selector, indexes, new ArrayList<>(excluded), warnings, sort, partition);
                if (union != null) {
                    return union;
                }
                throw new ArborException.BadRequest("no_usable_index", NO_SORT_INDEX);
            }
        }
        ranked.sort(BEST_FIRST);
        Option best = ranked.get(0);
        List<Explain.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Option option = ranked.get(i);
            candidates.add(new Explain.Candidate(option.info(), true, List.of(i == 0 ? "chosen" : whyBehind(option, best)), i + 1));
        }
        candidates.addAll(excluded);

        if (best.score() == 0 && !namedUsable && sort.isEmpty()) {
            QueryPlan union = union(selector, indexes, candidates, warnings, sort, partition);
            if (union != null) {
                return union;
            }
        }
        // Any sort is the chosen index's order (see above).
        boolean descending = sort.direction() == Sort.Direction.DESC;
        if (best.isAllDocs()) {
            warnings.add(NO_INDEX_WARNING);
        }
        List<QueryPlan.Scan> scans = best.coverage().isEmpty() ? List.of() : List.of(scan(best, descending, partition));
        Explain.Strategy strategy = best.isAllDocs() && best.score() == 0 ? Explain.Strategy.FULL_SCAN : Explain.Strategy.INDEX_SCAN;
        return new QueryPlan(strategy, scans, false, best.info(), candidates, warnings);
    }

    private static String whyBehind(Option option, Option best) {
        if (option.score() < best.score()) {
            return "less_overlap";
        }
        if (option.givesSort() != best.givesSort()) {
            return "sort_order_mismatch";
        }
        if (option.isAllDocs()) {
            return "unfavored_type";
        }
        if (option.info().fields().size() > best.info().fields().size()) {
            return "too_many_fields";
        }
        return "alphabetically_comes_after";
    }

    private Option evaluate(MangoIndex index, Selector selector, Sort sort) {
        Set<String> required = new HashSet<>(index.fields());
        if (index.element() != null) {
            required.remove(index.element().text());
        }
        required.removeAll(sort.names());
        required.remove("_id");
        required.remove("_rev");
        IndexCoverage coverage = selector.coverage(index.fields());
        if (!selector.requiresFields(required)) {
            return new Option(index, index.info(), false, "field_mismatch", 0, false, coverage);
        }
        FieldRange elementRange = null;
        if (index.element() != null) {
            elementRange = ElementRanges.range(selector, index.element());
            if (elementRange == null) {
                return new Option(index, index.info(), false, "no_element_condition", 0, false, coverage);
            }
            // Only the chosen element condition narrows the array field; the matcher checks the rest.
            List<FieldRange> ranges = new ArrayList<>(coverage.ranges());
            ranges.set(index.element().position(), elementRange);
            coverage = new IndexCoverage(ranges, false, false);
        }
        int equalities = 0;
        List<FieldRange> ranges = usableRanges(index, coverage);
        while (equalities < ranges.size() && ranges.get(equalities).isPoint()) {
            equalities++;
        }
        boolean range = equalities < ranges.size() && !ranges.get(equalities).isUnbounded();
        FieldRange pinnedElement = elementRange != null && elementRange.isPoint() ? elementRange : null;
        return new Option(index, index.info(), true, null, 2 * equalities + (range ? 1 : 0),
                canUseSort(index, sort, selector, pinnedElement != null), coverage);
    }

    /**
     * The coverage's ranges as the index can use them. A json index orders {@code _id} by collation, while
     * selectors compare {@code _id} raw: only an equality carries over (it selects a superset, re-checked).
     */
    private static List<FieldRange> usableRanges(MangoIndex index, IndexCoverage coverage) {
        List<FieldRange> ranges = new ArrayList<>(coverage.ranges());
        for (int i = 0; i < ranges.size(); i++) {
            FieldRange r = ranges.get(i);
            if (r.order() == FieldRange.KeyOrder.RAW && !r.isPoint()) {
                ranges.set(i, FieldRange.unbounded(r.field()));
            }
        }
        return ranges;
    }

    /** Within a partition, reading the partition's whole id range is the baseline (score 0), as a full scan is globally. */
    private Option evaluateAllDocs(Selector selector, Sort sort, String partition) {
        IndexCoverage coverage = selector.coverage(List.of("_id"));
        FieldRange id = coverage.ranges().get(0);
        int score = id.isPoint() && id.lower().isTextual() ? 2
                : partition != null && PartitionScope.isWholePartition(id, partition) ? 0
                : (id.lower() != null && id.lower().isTextual()) || (id.upper() != null) ? 1 : 0;
        boolean givesSort = sort.isEmpty() || sort.names().equals(List.of("_id"));
        return new Option(null, IndexInfo.ALL_DOCS, true, null, score, givesSort, coverage);
    }

    /**
     * CouchDB's {@code can_use_sort}: the sort fields must be the index fields that follow the leading fields
     * the selector pins to one value. A document of an array-element index has several rows, but the runner
     * returns it at its first row in the scan only; columns before the element column are the same in all its
     * rows, so their order holds; columns after it hold only when the element is pinned.
     */
    private static boolean canUseSort(MangoIndex index, Sort sort, Selector selector, boolean elementPinned) {
        if (sort.isEmpty()) {
            return true;
        }
        List<String> columns = index.fields();
        List<String> names = sort.names();
        ElementField element = index.element();
        if (element != null && names.contains(element.text())) {
            return false; // rows are in element order, not in the order of the field a sort names
        }
        int i = 0;
        while (i < columns.size() && !columns.get(i).equals(names.get(0))) {
            // A pinned element column is constant within the scan: each document has at most one row there.
            boolean constant = element != null && i == element.position() ? elementPinned
                    : selector.isConstantField(columns.get(i));
            if (!constant) {
                return false;
            }
            i++;
        }
        List<String> rest = columns.subList(i, columns.size());
        return rest.size() >= names.size() && rest.subList(0, names.size()).equals(names);
    }

    private static QueryPlan.Scan scan(Option option, boolean descending, String partition) {
        if (option.isAllDocs()) {
            return idScan(option.coverage().ranges().get(0), descending);
        }
        MangoIndex index = option.index();
        List<FieldRange> ranges = usableRanges(index, option.coverage());
        ArrayNode prefix = Json.MAPPER.createArrayNode();
        if (index.partitioned()) {
            // Partitioned rows are keyed [partition, fields...]: the partition is one more pinned leading field.
            prefix.add(partition);
        }
        int e = 0;
        while (e < ranges.size() && ranges.get(e).isPoint()) {
            prefix.add(ranges.get(e).lower());
            e++;
        }
        byte[] from = KeyEncoding.arrayPrefixLowerBound(prefix);
        byte[] to = KeyEncoding.arrayPrefixUpperBound(prefix);
        JsonNode startKey = prefix.deepCopy();
        JsonNode endKey = prefix.deepCopy();
        boolean inclusiveStart = true;
        boolean inclusiveEnd = true;
        if (e < ranges.size()) {
            FieldRange r = ranges.get(e);
            if (r.lower() != null) {
                ArrayNode bound = prefix.deepCopy().add(r.lower());
                from = r.lowerInclusive() ? KeyEncoding.arrayPrefixLowerBound(bound) : KeyEncoding.arrayPrefixUpperBound(bound);
                startKey = bound;
                inclusiveStart = r.lowerInclusive();
            }
            if (r.upper() != null) {
                ArrayNode bound = prefix.deepCopy().add(r.upper());
                to = r.upperInclusive() ? KeyEncoding.arrayPrefixUpperBound(bound) : KeyEncoding.arrayPrefixLowerBound(bound);
                endKey = bound;
                inclusiveEnd = r.upperInclusive();
            }
        }
        byte[] signature = index.signature();
        Explain.Scan shown = new Explain.Scan(index.info(), startKey, inclusiveStart, endKey, inclusiveEnd, descending);
        return new QueryPlan.IndexRange(index, IndexRows.concat(signature, from), IndexRows.concat(signature, to),
                descending, shown);
    }

    /**
     * The id range of {@code _all_docs} a selector's {@code _id} range needs. Selectors compare {@code _id} as
     * Erlang terms, where every string sorts after every other JSON value: a non-string lower bound excludes no
     * id, and a non-string upper bound excludes them all.
     */
    private static QueryPlan.Scan idScan(FieldRange id, boolean descending) {
        String from = null;
        String to = null;
        if (id.lower() != null && id.lower().isTextual()) {
            from = id.lowerInclusive() ? id.lower().textValue() : id.lower().textValue() + "\u0000";
        }
        if (id.upper() != null) {
            to = !id.upper().isTextual() ? "" : id.upperInclusive() ? id.upper().textValue() + "\u0000" : id.upper().textValue();
            if (from == null && to.isEmpty()) {
                from = "";
            }
        }
        Explain.Scan shown = new Explain.Scan(IndexInfo.ALL_DOCS, from == null ? null : TextNode.valueOf(from.replace("\u0000", "")),
                id.lower() == null || id.lowerInclusive(), to == null ? null : TextNode.valueOf(to.replace("\u0000", "")),
                id.upper() == null || id.upperInclusive(), descending);
        return new QueryPlan.IdRange(from, to, descending, shown);
    }

    /**
     * An index union for a top-level {@code $or} (or {@code $in}): one branch per alternative, each the rest of
     * the selector and that alternative, each planned on its own. Null when some branch no index narrows (a full
     * scan once is cheaper than several).
     *
     * <p>{@code $in} on an array matches when an element equals a value, but a plain json index keys an array
     * whole: where a branch of {@code $in} reads such an index on the {@code $in} field, the union also reads
     * that index's array rows (arrays sort after strings and before objects), so those documents are not lost.
     * An array-element index on the field has a row per element and needs no such companion scan.
     */
    private QueryPlan union(Selector selector, List<MangoIndex> indexes, List<Explain.Candidate> candidates,
                            List<String> warnings, Sort sort, String partition) {
        Branching branching = branches(selector);
        if (branching == null || branching.branches().size() > MAX_UNION_BRANCHES) {
            return null;
        }
        List<QueryPlan.Scan> scans = new ArrayList<>();
        Set<MangoIndex> companions = new HashSet<>();
        IndexInfo first = null;
        for (Selector branch : branching.branches()) {
            Option best = bestFor(branch, indexes, partition);
            if (best.score() == 0) {
                return null;
            }
            if (!best.coverage().isEmpty()) {
                scans.add(scan(best, false, partition));
                first = first == null ? best.info() : first;
            }
            MangoIndex index = best.index();
            if (branching.inField() != null && index != null && index.element() == null
                    && index.fields().contains(branching.inField().text()) && companions.add(index)) {
                List<Selector> arrays = new ArrayList<>(branching.rest());
                arrays.add(new Selector.Field(branching.inField(), new Condition.Compare(Condition.Operator.GTE, Json.MAPPER.createArrayNode())));
                arrays.add(new Selector.Field(branching.inField(), new Condition.Compare(Condition.Operator.LT, Json.object())));
                Option arrayRows = evaluate(index, new Selector.And(arrays), Sort.NONE);
                scans.add(scan(arrayRows, false, partition));
            }
        }
        List<String> unionWarnings = new ArrayList<>(warnings);
        if (!sort.isEmpty()) {
            unionWarnings.add(UNION_SORT_WARNING);
        }
        return new QueryPlan(Explain.Strategy.INDEX_UNION, scans, true, first == null ? IndexInfo.ALL_DOCS : first,
                candidates, unionWarnings);
    }

    private Option bestFor(Selector branch, List<MangoIndex> indexes, String partition) {
        Option best = null;
        for (MangoIndex index : indexes) {
            if (index.partialFilter() != null) {
                continue;
            }
            Option option = evaluate(index, branch, Sort.NONE);
            if (option.usable() && (best == null || BEST_FIRST.compare(option, best) < 0)) {
                best = option;
            }
        }
        Option allDocs = evaluateAllDocs(branch, Sort.NONE, partition);
        return best == null || BEST_FIRST.compare(allDocs, best) < 0 ? allDocs : best;
    }

    /**
     * The alternatives of a union.
     *
     * @param rest    the other top-level clauses, part of every branch
     * @param inField the field of the {@code $in} the branches come from; null for an {@code $or}
     */
    record Branching(List<Selector> branches, List<Selector> rest, dev.arbor.core.mango.FieldPath inField) {}

    /** The alternatives of the first top-level {@code $or} or {@code $in}, each joined with the other clauses; null if none. */
    static Branching branches(Selector selector) {
        List<Selector> clauses = selector instanceof Selector.And and ? and.clauses() : List.of(selector);
        for (int i = 0; i < clauses.size(); i++) {
            List<Selector> alternatives = alternatives(clauses.get(i));
            if (alternatives == null) {
                continue;
            }
            List<Selector> rest = new ArrayList<>(clauses);
            rest.remove(i);
            List<Selector> branches = new ArrayList<>();
            for (Selector alternative : alternatives) {
                List<Selector> joined = new ArrayList<>(rest);
                if (alternative instanceof Selector.And inner) {
                    joined.addAll(inner.clauses());
                } else {
                    joined.add(alternative);
                }
                branches.add(joined.size() == 1 ? joined.get(0) : new Selector.And(joined));
            }
            var inField = clauses.get(i) instanceof Selector.Field field ? field.path() : null;
            return new Branching(branches, rest, inField);
        }
        return null;
    }

    private static List<Selector> alternatives(Selector clause) {
        if (clause instanceof Selector.Or or) {
            return or.clauses();
        }
        if (clause instanceof Selector.Field field && field.condition() instanceof Condition.In in && !in.values().isEmpty()) {
            return in.values().stream()
                    .map(v -> (Selector) new Selector.Field(field.path(), new Condition.Compare(Condition.Operator.EQ, v)))
                    .toList();
        }
        return null;
    }
}
