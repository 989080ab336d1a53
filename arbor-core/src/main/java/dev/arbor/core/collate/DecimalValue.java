package dev.arbor.core.collate;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/** The exact numeric value of a JSON number node, whichever Jackson node class carries it. */
final class DecimalValue {
    private DecimalValue() {}

    /**
     * The value as {@link BigDecimal}. Binary floating-point nodes are taken at the decimal text Jackson would
     * write for them ({@code Double.toString}), not their exact binary expansion, so a {@code DoubleNode(0.1)}
     * equals the {@code DecimalNode} that its own JSON text parses back into.
     */
    static BigDecimal of(JsonNode number) {
        if (number.isDouble()) {
            return BigDecimal.valueOf(finite(number.doubleValue()));
        }
        if (number.isFloat()) {
            float f = number.floatValue();
            finite(f);
            return new BigDecimal(Float.toString(f));
        }
        if (number.isBigDecimal()) {
            return number.decimalValue();
        }
        if (number.isBigInteger()) {
            return new BigDecimal(number.bigIntegerValue());
        }
        return BigDecimal.valueOf(number.longValue());
    }

    /** JSON has no NaN or infinities; a node holding one was never valid JSON and has no place in the order. */
    static double finite(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON numbers are finite, got " + d);
        }
        return d;
    }
}
