package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.arbor.js.Ddocs.j;
import static dev.arbor.js.Ddocs.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JavaScript reduce functions called as CouchDB's views.js calls them. */
class JsReduceFunctionTest {

    private static ReduceFunction reduce(String source, Ddocs.Log log) {
        return DesignDocFunctions.compile(view("function(doc) {}", source), log.options()).views().get("v").reduce().orElseThrow();
    }

    private static List<MapRow> rows(int count) {
        List<MapRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new MapRow(j("['k', " + i + "]"), "doc" + i, j(Integer.toString(i))));
        }
        return rows;
    }

    @Test
    void reduceSeesKeyDocIdPairsAndValues() {
        ReduceFunction reduce = reduce("function(keys, values, rereduce) { return [keys, values, rereduce]; }", new Ddocs.Log());
        assertInstanceOf(JsReduceFunction.class, reduce);
        assertEquals(j("[[[['k',0],'doc0'],[['k',1],'doc1']],[0,1],false]"), reduce.reduce(rows(2)));
    }

    @Test
    void rereduceSeesNullKeysAndTheReductions() {
        ReduceFunction reduce = reduce("function(keys, values, rereduce) { return [keys, values, rereduce]; }", new Ddocs.Log());
        assertEquals(j("[null,[1,{'a':2}],true]"), reduce.rereduce(List.of(j("1"), j("{'a':2}"))));
    }

    @Test
    void sumOverReduceAndRereduceGivesTheTotal() {
        ReduceFunction reduce = reduce("function(keys, values, rereduce) { return sum(values); }", new Ddocs.Log());
        JsonNode left = reduce.reduce(rows(10));
        JsonNode right = reduce.reduce(rows(5));
        assertEquals(j("55"), reduce.rereduce(List.of(left, right)));
    }

    @Test
    void aReduceErrorIsLoggedAndReducesToNull() {
        Ddocs.Log log = new Ddocs.Log();
        ReduceFunction reduce = reduce("function(keys, values) { return values[0].missing.field; }", log);
        assertEquals(j("null"), reduce.reduce(rows(2)));
        assertTrue(log.lines.get(0).startsWith("function raised exception TypeError"), log.lines.toString());
    }

    @Test
    void aReductionThatDoesNotShrinkIsAReduceOverflowErrorWhichRereducePassesOn() {
        ReduceFunction reduce = reduce("function(keys, values) { return keys.concat(keys); }", new Ddocs.Log());
        JsonNode overflow = reduce.reduce(rows(200));
        assertTrue(overflow.get("reduce_overflow_error").textValue()
                        .startsWith("Reduce output must shrink more rapidly: Current output: '[[[[\"k\",0],\"doc0\"]"),
                overflow.toString());
        assertEquals(overflow, reduce.rereduce(List.of(j("1"), overflow)));
    }

    @Test
    void theReduceLimitCanBeTurnedOff() {
        ReduceFunction reduce = DesignDocFunctions.compile(view("function(doc) {}", "function(keys, values) { return keys.concat(keys); }"),
                JsOptions.defaults().withReduceLimit(false)).views().get("v").reduce().orElseThrow();
        assertEquals(400, reduce.reduce(rows(200)).size());
    }

    @Test
    void smallReductionsAreNeverOverflows() {
        ReduceFunction reduce = reduce("function(keys, values) { return values; }", new Ddocs.Log());
        assertEquals(j("[0,1,2]"), reduce.reduce(rows(3)));
    }
}
