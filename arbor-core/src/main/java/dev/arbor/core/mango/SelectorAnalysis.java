package dev.arbor.core.mango;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a query planner asks of a normalized selector; see the methods of {@link Selector} that delegate here. */
final class SelectorAnalysis {
    private static final Condition EXISTS_FALSE = new Condition.Exists(false);
    private static final Condition EXISTS_TRUE = new Condition.Exists(true);

    private SelectorAnalysis() {}

    static List<String> fields(Selector selector) {
        return switch (selector) {
            case Selector.MatchAll all -> List.of();
            case Selector.And and -> and.clauses().stream().flatMap(clause -> fields(clause).stream()).toList();
            case Selector.Or or -> or.clauses().stream().flatMap(clause -> fields(clause).stream()).toList();
            case Selector.Not not -> fields(not.clause());
            case Selector.Field field -> List.of(field.path().text());
        };
    }

    static boolean requiresFields(Selector selector, Collection<String> fields) {
        return unrequired(selector, new LinkedHashSet<>(fields)).isEmpty();
    }

    /**
     * CouchDB's {@code has_required_fields_int}: the fields of {@code wanted} that a match need not have.
     * One departure: an empty {@code $or} requires nothing here (CouchDB's fold says it requires everything,
     * although it matches every document, which would let an index drop matches).
     */
    private static Set<String> unrequired(Selector selector, Set<String> wanted) {
        return switch (selector) {
            case Selector.MatchAll all -> wanted;
            case Selector.And and -> {
                Set<String> remaining = wanted;
                for (Selector clause : and.clauses()) {
                    remaining = unrequired(clause, remaining);
                }
                yield remaining;
            }
            case Selector.Or or -> {
                if (or.clauses().isEmpty()) yield wanted;
                Set<String> remaining = new LinkedHashSet<>();
                for (Selector clause : or.clauses()) {
                    remaining.addAll(unrequired(clause, wanted));
                }
                yield remaining;
            }
            case Selector.Not not -> wanted;
            case Selector.Field field -> {
                if (field.condition().equals(EXISTS_FALSE) || !wanted.contains(field.path().text())) yield wanted;
                Set<String> remaining = new LinkedHashSet<>(wanted);
                remaining.remove(field.path().text());
                yield remaining;
            }
        };
    }

    static boolean isConstantField(Selector selector, String name) {
        return switch (selector) {
            case Selector.And and -> and.clauses().stream().anyMatch(clause -> isConstantField(clause, name));
            case Selector.Field field -> field.path().text().equals(name)
                    && field.condition() instanceof Condition.Compare compare
                    && compare.operator() == Condition.Operator.EQ;
            default -> false;
        };
    }

    static IndexCoverage coverage(Selector selector, List<String> indexFields) {
        List<FieldRange> ranges = new ArrayList<>();
        indexFields.forEach(field -> ranges.add(FieldRange.unbounded(field)));
        boolean everyConditionIsARange = true;
        for (Selector conjunct : conjuncts(selector)) {
            int position = conjunct instanceof Selector.Field field ? indexFields.indexOf(field.path().text()) : -1;
            if (position < 0 || ((Selector.Field) conjunct).path().isSelf()) {
                everyConditionIsARange = false;
                continue;
            }
            Condition condition = ((Selector.Field) conjunct).condition();
            if (condition instanceof Condition.Compare compare && compare.operator() != Condition.Operator.NE) {
                ranges.set(position, ranges.get(position).narrow(compare.operator(), compare.operand()));
            } else if (!condition.equals(EXISTS_TRUE)) {
                everyConditionIsARange = false; // the index holds only documents with the field: $exists is free
            }
        }
        boolean complete = requiresFields(selector, indexFields);
        return new IndexCoverage(ranges, complete, complete && everyConditionIsARange && isContiguousSpan(ranges));
    }

    /** The top-level conjunction as a flat list: nested {@code $and}s opened, the empty selector none. */
    private static List<Selector> conjuncts(Selector selector) {
        List<Selector> conjuncts = new ArrayList<>();
        collectConjuncts(selector, conjuncts);
        return conjuncts;
    }

    private static void collectConjuncts(Selector selector, List<Selector> into) {
        switch (selector) {
            case Selector.MatchAll all -> { }
            case Selector.And and -> and.clauses().forEach(clause -> collectConjuncts(clause, into));
            default -> into.add(selector);
        }
    }

    /**
     * Whether the compound key span from all lower bounds to all upper bounds holds only keys inside every
     * range: true when every range before the last bounded one is a single value.
     */
    private static boolean isContiguousSpan(List<FieldRange> ranges) {
        int lastBounded = -1;
        for (int i = 0; i < ranges.size(); i++) {
            if (!ranges.get(i).isUnbounded()) lastBounded = i;
        }
        for (int i = 0; i < lastBounded; i++) {
            if (!ranges.get(i).isPoint()) return false;
        }
        return true;
    }
}
