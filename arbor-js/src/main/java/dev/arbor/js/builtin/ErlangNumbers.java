package dev.arbor.js.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.arbor.core.json.Json;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Arithmetic on JSON numbers as CouchDB's Erlang built-ins do it: a JSON number without a fraction or
 * exponent is an integer of unbounded size, any other is a double; integer with integer stays exact,
 * anything with a double is a double. Results are the trees Arbor's JSON parser would give for the
 * number as CouchDB prints it.
 */
final class ErlangNumbers {
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private ErlangNumbers() {}

    static JsonNode add(JsonNode a, JsonNode b) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
            return integer(a.bigIntegerValue().add(b.bigIntegerValue()));
        }
        return real(a.doubleValue() + b.doubleValue());
    }

    static JsonNode square(JsonNode a) {
        if (a.isIntegralNumber()) {
            BigInteger value = a.bigIntegerValue();
            return integer(value.multiply(value));
        }
        double value = a.doubleValue();
        return real(value * value);
    }

    /** Erlang's numeric comparison (1 == 1.0). */
    static int compare(JsonNode a, JsonNode b) {
        return exact(a).compareTo(exact(b));
    }

    private static BigDecimal exact(JsonNode number) {
        return number.isIntegralNumber() ? new BigDecimal(number.bigIntegerValue()) : new BigDecimal(number.doubleValue());
    }

    static boolean isIntegerZero(JsonNode a) {
        return a.isIntegralNumber() && a.bigIntegerValue().signum() == 0;
    }

    static JsonNode integer(BigInteger value) {
        if (value.compareTo(INT_MIN) >= 0 && value.compareTo(INT_MAX) <= 0) {
            return IntNode.valueOf(value.intValue());
        }
        if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
            return LongNode.valueOf(value.longValue());
        }
        return NODES.numberNode(value);
    }

    /** A double as CouchDB prints it (shortest round-trip digits, always with a fraction: {@code 3.0}). */
    static JsonNode real(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            // Erlang raises badarith rather than produce these; JSON cannot carry them either.
            throw new ArithmeticException("number out of range: " + value);
        }
        return NODES.numberNode(new BigDecimal(Double.toString(value)));
    }

}
