package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.core.doc.Partitions;
import dev.arbor.core.mango.Condition;
import dev.arbor.core.mango.FieldPath;
import dev.arbor.core.mango.FieldRange;
import dev.arbor.core.mango.Selector;

import java.util.ArrayList;
import java.util.List;

/**
 * A partition query as an ordinary one: the selector and {@code "p:" <= _id < "p;"}. The planner then reads
 * {@code _all_docs} over the partition's one id range, and the matcher re-checks membership like any other
 * clause, so no document of another partition can slip into an answer.
 */
final class PartitionScope {
    private static final FieldPath ID = FieldPath.parse("_id");

    private PartitionScope() {}

    static Selector scope(Selector selector, String partition) {
        List<Selector> clauses = new ArrayList<>();
        // Flattened into one $and, so the planner still finds a top-level $or to split into an index union.
        if (selector instanceof Selector.And and) {
            clauses.addAll(and.clauses());
        } else {
            clauses.add(selector);
        }
        clauses.add(new Selector.Field(ID, new Condition.Compare(Condition.Operator.GTE, TextNode.valueOf(Partitions.startId(partition)))));
        clauses.add(new Selector.Field(ID, new Condition.Compare(Condition.Operator.LT, TextNode.valueOf(Partitions.endId(partition)))));
        return new Selector.And(clauses);
    }

    /** Whether an {@code _id} range is no narrower than the whole partition (the scope alone bounds it). */
    static boolean isWholePartition(FieldRange id, String partition) {
        return id.lower() != null && id.lower().isTextual() && id.lower().textValue().equals(Partitions.startId(partition))
                && id.lowerInclusive()
                && id.upper() != null && id.upper().isTextual() && id.upper().textValue().equals(Partitions.endId(partition))
                && !id.upperInclusive();
    }
}
