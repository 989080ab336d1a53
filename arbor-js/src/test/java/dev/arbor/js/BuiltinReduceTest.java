package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.js.builtin.Sum;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.arbor.js.Ddocs.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in reduces against CouchDB's own expectations (couch_query_servers.erl's eunit tests
 * {@code sum_values_test}, {@code builtin_sum_rows_negative_test}, {@code stat_values_test},
 * {@code reduce_stats_test}).
 */
class BuiltinReduceTest {
    private static final BuiltinReduce SUM = new BuiltinReduce(BuiltinReduce.Kind.SUM, JsOptions.defaults());
    private static final BuiltinReduce COUNT = new BuiltinReduce(BuiltinReduce.Kind.COUNT, JsOptions.defaults());
    private static final BuiltinReduce STATS = new BuiltinReduce(BuiltinReduce.Kind.STATS, JsOptions.defaults());
    private static final BuiltinReduce DISTINCT = new BuiltinReduce(BuiltinReduce.Kind.APPROX_COUNT_DISTINCT, JsOptions.defaults());

    private static List<MapRow> rows(String... values) {
        List<MapRow> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            rows.add(new MapRow(j("'k'"), "doc" + i, j(values[i])));
        }
        return rows;
    }

    @Test
    void sumAddsNumbersKeepingIntegersExact() {
        assertEquals(j("3"), SUM.reduce(rows("1", "2")));
        assertEquals(Json.parse("18446744073709551616"), SUM.reduce(rows("9223372036854775807", "9223372036854775809")));
        assertEquals(Json.parse("3.5"), SUM.reduce(rows("1", "2.5")));
        assertEquals(j("0"), SUM.reduce(List.of()));
    }

    @Test
    void sumOfANumberAndAnArrayAddsToTheFirstElement() {
        assertEquals(j("[2,4,6]"), SUM.reduce(rows("1", "[1,4,6]")));
        assertEquals(j("[3,5,7]"), SUM.reduce(rows("[0,3,3]", "[3,2,4]")));
        assertEquals(j("[4,2,9]"), SUM.reduce(rows("[1,2]", "[3,0,9]")));
    }

    @Test
    void sumOfObjectsAddsMemberwiseAndRecursively() {
        // sum_values_test: X + Y = Z in either order.
        String x = "{'a':1,'b':[1,2],'c':{'d':3},'g':1}";
        String y = "{'a':2,'b':3,'c':{'e':5},'f':1,'g':1}";
        JsonNode z = j("{'a':3,'b':[4,2],'c':{'d':3,'e':5},'f':1,'g':2}");
        assertEquals(z, SUM.reduce(rows(x, y)));
        assertEquals(z, SUM.reduce(rows(y, x)));
    }

    @Test
    void sumOfAStringIsCouchDbsBuiltinReduceErrorValue() {
        JsonNode result = SUM.reduce(rows("1", "'abc'"));
        assertEquals("builtin_reduce_error", result.get("error").textValue());
        assertEquals(Sum.ERROR, result.get("reason").textValue());
        assertEquals(j("'abc'"), result.get("caused_by"));
    }

    @Test
    void sumOfAnArrayOfObjectsAfterNumbersFails() {
        // sum_values_negative_test: A with [1,2,3] and with 0 both fail; builtin_sum_rows_negative_test.
        JsonNode result = SUM.reduce(rows("[1,2,3]", "[{'a':1},{'a':2},{'a':3}]"));
        assertEquals("builtin_reduce_error", result.get("error").textValue());
        assertEquals("builtin_reduce_error", SUM.reduce(rows("[{'a':1},{'a':2},{'a':3}]")).get("error").textValue());
    }

    @Test
    void anErrorObjectAmongRereduceInputsIsPassedOn() {
        JsonNode error = j("{'error':'builtin_reduce_error','reason':'r','caused_by':'c'}");
        assertEquals(error, SUM.rereduce(List.of(j("1"), error, j("2"))));
    }

    @Test
    void sumOfNumbersWithObjectsFailsCausedByTheObject() {
        JsonNode result = SUM.reduce(rows("{'a':1}", "2"));
        assertEquals(j("2"), result.get("caused_by"));
    }

    @Test
    void countCountsRowsAndRereduceAddsCounts() {
        assertEquals(j("3"), COUNT.reduce(rows("'a'", "null", "{}")));
        assertEquals(j("7"), COUNT.rereduce(List.of(j("3"), j("4"))));
    }

    @Test
    void statsOfNumbers() {
        // reduce_stats_test and stat_values_test.
        assertEquals(j("{'sum':2,'count':1,'min':2,'max':2,'sumsqr':4}"), STATS.reduce(rows("2")));
        assertEquals(j("{'sum':11,'count':2,'min':1,'max':10,'sumsqr':101}"), STATS.reduce(rows("1", "10")));
        assertEquals(j("{'sum':0,'count':0,'min':0,'max':0,'sumsqr':0}"), STATS.reduce(List.of()));
    }

    @Test
    void statsOfArraysAreElementwise() {
        assertEquals(j("[{'sum':9,'count':2,'min':2,'max':7,'sumsqr':53},"
                        + "{'sum':14,'count':2,'min':3,'max':11,'sumsqr':130},"
                        + "{'sum':18,'count':2,'min':5,'max':13,'sumsqr':194}]"),
                STATS.reduce(rows("[2,3,5]", "[7,11,13]")));
        assertEquals(j("[{'sum':1,'count':1,'min':1,'max':1,'sumsqr':1},{'sum':2,'count':1,'min':2,'max':2,'sumsqr':4}]"),
                STATS.reduce(rows("[1,2]")));
    }

    @Test
    void statsRereduceMergesReductionsAndPreAggregatedValues() {
        JsonNode left = STATS.reduce(rows("1", "5"));
        JsonNode right = STATS.reduce(rows("{'sum':10,'count':2,'min':-3,'max':13,'sumsqr':178}"));
        assertEquals(j("{'sum':16,'count':4,'min':-3,'max':13,'sumsqr':204}"), STATS.rereduce(List.of(left, right)));
    }

    @Test
    void statsOfAStringFailsTheQueryWithCouchDbsReason() {
        ArborException.QueryFailed error = assertThrows(ArborException.QueryFailed.class, () -> STATS.reduce(rows("1", "'abc'")));
        assertEquals("invalid_value", error.error());
        // CouchDB formats the value with ~w: a string as its UTF-8 bytes.
        assertEquals("non-numeric _stats input: <<97,98,99>>", error.reason());
        assertTrue(assertThrows(ArborException.QueryFailed.class, () -> STATS.reduce(rows("{'sum':1}"))).reason()
                .contains("user _stats input missing required field count"));
    }

    @Test
    void approxCountDistinctIsWithinTwoPercentForFewKeysAndIgnoresRepeats() {
        List<MapRow> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new MapRow(Json.MAPPER.getNodeFactory().numberNode(i % 100), "d" + i, j("null")));
        }
        long estimate = DISTINCT.finish(DISTINCT.reduce(rows)).longValue();
        assertTrue(Math.abs(estimate - 100) <= 2, "estimate " + estimate);
        assertEquals(j("3"), DISTINCT.finish(DISTINCT.reduce(rows("1", "2", "3").stream()
                .map(row -> new MapRow(row.value(), row.docId(), row.value())).toList())));
        assertEquals(j("0"), DISTINCT.finish(DISTINCT.reduce(List.of())));
    }

    @Test
    void approxCountDistinctUnionsSketchesOnRereduceAndEstimatesLargeCountsClosely() {
        List<JsonNode> sketches = new ArrayList<>();
        for (int part = 0; part < 10; part++) {
            int from = part * 5000;
            sketches.add(DISTINCT.reduce(IntStream.range(from, from + 8000) // overlapping parts: 53,000 distinct keys
                    .mapToObj(i -> new MapRow(j("'key-" + i + "'"), "d", j("null"))).toList()));
        }
        // A reduction stored as JSON comes back as base64 text; rereduce reads both forms.
        sketches.set(0, Json.parse(Json.bytes(sketches.get(0))));
        long estimate = DISTINCT.finish(DISTINCT.rereduce(sketches)).longValue();
        assertTrue(Math.abs(estimate - 53_000) < 53_000 * 0.07, "estimate " + estimate);
    }

    @Test
    void builtinNamesMatchByPrefixAsInCouchDb() {
        assertEquals(BuiltinReduce.Kind.SUM, BuiltinReduce.named("_sum_of_prices", JsOptions.defaults()).orElseThrow().kind());
        assertEquals(BuiltinReduce.Kind.APPROX_COUNT_DISTINCT,
                BuiltinReduce.named("_approx_count_distinct", JsOptions.defaults()).orElseThrow().kind());
        assertTrue(BuiltinReduce.named("function(k, v) { return 1; }", JsOptions.defaults()).isEmpty());
    }
}
