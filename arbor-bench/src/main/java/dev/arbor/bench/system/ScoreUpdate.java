package dev.arbor.bench.system;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;

/** W4's edit of a document, the same for every JVM system that works on parsed documents. */
public final class ScoreUpdate {
    private ScoreUpdate() {}

    public static void apply(ObjectNode doc, int i) {
        BigDecimal score = doc.path("score").decimalValue();
        doc.put("score", score.add(BigDecimal.ONE));
        doc.put("updated", i);
    }
}
