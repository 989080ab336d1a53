package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.arbor.js.Ddocs.j;
import static dev.arbor.js.Ddocs.view;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Emitted keys and values become exactly the trees that CouchDB's {@code JSON.stringify} of them,
 * read by Arbor's JSON parser, gives.
 */
class EmitConversionTest {

    private static JsonNode emitted(String expression) {
        List<Emit> rows = DesignDocFunctions.compile(view("function(doc) { emit(" + expression + ", null); }", null))
                .views().get("v").map().map("{}");
        return rows.get(0).key();
    }

    @Test
    void integersStayIntegersAndFractionsAreExactDecimals() {
        assertEquals(j("[1,-7,0,0,2147483648]"), emitted("[1, -7, 0, -0, 2147483648]"));
        assertEquals(Json.MAPPER.getNodeFactory().numberNode(new BigDecimal("0.30000000000000004")), emitted("0.1 + 0.2"));
        assertEquals(j("1.5"), emitted("3 / 2"));
    }

    @Test
    void largeNumbersPrintAsJavaScriptPrintsThem() {
        assertEquals(Json.parse("18446744073709552000"), emitted("Math.pow(2, 64)"));
        assertEquals(Json.parse("1e+21"), emitted("1e21"));
        assertEquals(Json.parse("1e-7"), emitted("0.0000001"));
    }

    @Test
    void nonFiniteNumbersAreNull() {
        assertEquals(j("[null,null,null]"), emitted("[NaN, Infinity, -Infinity]"));
    }

    @Test
    void undefinedAndFunctionsAreNullInArraysAndOmittedFromObjects() {
        assertEquals(j("[null,null,{'b':1}]"), emitted("[undefined, function() {}, {a: undefined, f: function() {}, b: 1}]"));
        assertEquals(j("null"), emitted("undefined"));
    }

    @Test
    void datesUseTheirToJsonMethod() {
        assertEquals(j("'2020-01-02T03:04:05.000Z'"), emitted("new Date(Date.UTC(2020, 0, 2, 3, 4, 5))"));
    }

    @Test
    void wrapperObjectsBecomeTheirPrimitives() {
        assertEquals(j("[5,'s',false]"), emitted("[new Number(5), new String('s'), new Boolean(false)]"));
    }

    @Test
    void aCyclicValueFailsTheDocumentAsJsonStringifyWould() {
        List<Emit> rows = DesignDocFunctions.compile(view("function(doc) { var o = {}; o.self = o; emit(1, o); }", null),
                new Ddocs.Log().options()).views().get("v").map().map("{}");
        assertEquals(List.of(), rows);
    }

    @Test
    void randomValuesConvertExactlyAsJsonStringifyThenParse() {
        Random random = new Random(20240917L);
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            expressions.add(value(random, 0));
        }
        StringBuilder map = new StringBuilder("function(doc) {\n");
        for (String expression : expressions) {
            map.append("  (function() { var v = ").append(expression).append("; emit(v, JSON.stringify([v])); })();\n");
        }
        map.append("}");
        List<Emit> rows = DesignDocFunctions.compile(view(map.toString(), null)).views().get("v").map().map("{}");
        assertEquals(expressions.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode viaText = Json.parse(rows.get(i).value().textValue()).get(0);
            assertEquals(viaText, rows.get(i).key(), expressions.get(i));
            // Same member order too, as the text shows it.
            assertEquals(Json.MAPPER.valueToTree(viaText).toString(), rows.get(i).key().toString(), expressions.get(i));
        }
    }

    private static String value(Random random, int depth) {
        int kind = random.nextInt(depth > 2 ? 6 : 9);
        return switch (kind) {
            case 0 -> Integer.toString(random.nextInt(2001) - 1000);
            case 1 -> switch (random.nextInt(8)) {
                case 0 -> "Math.pow(2, " + (40 + random.nextInt(40)) + ")";
                case 1 -> "1e" + (random.nextInt(60) - 30);
                case 2 -> "-0";
                case 3 -> (random.nextDouble() * 1e6) + " / 7";
                case 4 -> "NaN";
                default -> Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30) - 10));
            };
            case 2 -> quote(switch (random.nextInt(5)) {
                case 0 -> "";
                case 1 -> "plain";
                case 2 -> "üñï\u00e9 \u4e2d";
                case 3 -> "quote \\\" back \\\\ slash";
                default -> "emoji \uD83D\uDE00 tab\\t";
            });
            case 3 -> random.nextBoolean() ? "true" : "false";
            case 4 -> random.nextBoolean() ? "null" : "undefined";
            case 5 -> random.nextBoolean() ? "function() {}" : "new Date(" + random.nextInt(1_000_000_000) + "000)";
            case 6, 7 -> {
                StringBuilder array = new StringBuilder("[");
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.append(i > 0 ? ", " : "").append(value(random, depth + 1));
                }
                yield array.append("]").toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                int size = random.nextInt(4);
                List<String> names = List.of("a", "b", "10", "2", "z", "_id", "key with space");
                for (int i = 0; i < size; i++) {
                    object.append(i > 0 ? ", " : "").append(quote(names.get(random.nextInt(names.size()))))
                            .append(": ").append(value(random, depth + 1));
                }
                yield object.append("}").toString();
            }
        };
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }
}
