package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.mango.Condition;
import dev.arbor.core.mango.FieldRange;
import dev.arbor.core.mango.Selector;

import java.util.ArrayList;
import java.util.List;

/**
 * The element values an array-element index must read for a selector: a range that holds, for every
 * document the selector matches, at least one of that document's element rows. Null when no top-level
 * condition promises such an element, so the index could miss matches and must not be used.
 *
 * <p>Conditions that promise an element (each alone; two of them may be met by different elements, so their
 * ranges are never intersected, only the narrowest is kept):
 * <ul>
 *   <li>{@code $elemMatch} and {@code $allMatch} (both need a non-empty array) whose selector bounds the indexed
 *       value of the element with {@code $eq $gt $gte $lt $lte}: the bounds, intersected (one element meets
 *       them all);</li>
 *   <li>{@code $all} with a first argument that is not the single-array special case (which also matches the
 *       whole array): that argument, as a point (collation equality holds wherever Erlang equality does);</li>
 *   <li>{@code $eq} with a non-array operand: only a non-array value equals it, and such a value is its own row.
 *       {@code $in} reaches the index as one such {@code $eq} per value through the planner's union.</li>
 * </ul>
 */
final class ElementRanges {
    private ElementRanges() {}

    static FieldRange range(Selector selector, ElementField element) {
        FieldRange best = null;
        for (Selector conjunct : conjuncts(selector)) {
            if (!(conjunct instanceof Selector.Field field) || !field.path().segments().equals(element.array().segments())) {
                continue;
            }
            FieldRange candidate = switch (field.condition()) {
                case Condition.ElemMatch match -> within(match.selector(), element);
                case Condition.AllMatch match -> within(match.selector(), element);
                case Condition.All all when element.within().isSelf() && !all.values().isEmpty()
                        && !(all.values().size() == 1 && all.values().getFirst().isArray()) ->
                        point(element, all.values().getFirst());
                case Condition.Compare compare when element.within().isSelf()
                        && compare.operator() == Condition.Operator.EQ && !compare.operand().isArray() ->
                        point(element, compare.operand());
                default -> null;
            };
            if (candidate != null && (best == null || narrower(candidate, best))) {
                best = candidate;
            }
        }
        return best;
    }

    private static boolean narrower(FieldRange a, FieldRange b) {
        return rank(a) > rank(b);
    }

    private static int rank(FieldRange r) {
        return r.isPoint() ? 2 : r.lower() != null && r.upper() != null ? 1 : 0;
    }

    private static FieldRange point(ElementField element, JsonNode value) {
        return FieldRange.unbounded(element.text()).narrow(Condition.Operator.EQ, value);
    }

    /** The bounds an element selector puts on the indexed part of one element; null when it puts none. */
    private static FieldRange within(Selector elementSelector, ElementField element) {
        FieldRange range = FieldRange.unbounded(element.text());
        for (Selector conjunct : conjuncts(elementSelector)) {
            if (conjunct instanceof Selector.Field field
                    && field.path().segments().equals(element.within().segments())
                    && field.condition() instanceof Condition.Compare compare
                    && compare.operator() != Condition.Operator.NE) {
                range = range.narrow(compare.operator(), compare.operand());
            }
        }
        return range.isUnbounded() ? null : range;
    }

    private static List<Selector> conjuncts(Selector selector) {
        List<Selector> out = new ArrayList<>();
        collect(selector, out);
        return out;
    }

    private static void collect(Selector selector, List<Selector> into) {
        switch (selector) {
            case Selector.MatchAll all -> { }
            case Selector.And and -> and.clauses().forEach(clause -> collect(clause, into));
            default -> into.add(selector);
        }
    }
}
