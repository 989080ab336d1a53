package dev.arbor.js;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.arbor.js.Ddocs.ddoc;
import static dev.arbor.js.Ddocs.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CouchDB's {@code os_process_timeout} for design functions: an endless loop is stopped after the time limit and
 * fails with {@code os_process_error} instead of hanging its caller, and JavaScript cannot catch its way past it.
 */
class TimeLimitTest {
    /** For endless loops only: they run out any limit, so a short one just keeps the test short. */
    private static final JsOptions SHORT = JsOptions.defaults().withTimeout(Duration.ofMillis(200));
    /**
     * For calls that must finish: the limit is wall-clock time, and a first call (compiling, warming up) on a busy
     * machine can take longer than any short limit, which would fail a sandbox that is right.
     */
    private static final JsOptions GENEROUS = JsOptions.defaults().withTimeout(Duration.ofSeconds(60));
    /** One limit for both an endless loop and a call that must finish: the shortest wait no busy machine outlasts. */
    private static final JsOptions MODERATE = JsOptions.defaults().withTimeout(Duration.ofSeconds(5));

    @Test
    void endlessLoopInMapFailsWithOsProcessErrorAfterTheTimeout() {
        MapFunction map = DesignDocFunctions.compile(Ddocs.view("function (doc) { while (true) {} }", null), SHORT)
                .views().get("v").map();

        ArborException.Internal failure = assertThrows(ArborException.Internal.class, () -> map.map("{\"_id\":\"a\"}"));

        assertTrue(failure.getMessage().startsWith("os_process_error"), failure.getMessage());
        assertTrue(failure.getMessage().contains("_design/test"), failure.getMessage());
    }

    /**
     * Built-ins that visit every index below a length in Java, holes included, where nothing can stop them: over a
     * sparse array or an array-like a billion long they would run for half a minute past the limit. They fail at once.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "sparse.indexOf(2)", "sparse.includes(2)", "sparse.lastIndexOf(2)", "sparse.join('')", "sparse.sort()",
            "sparse.reverse()", "sparse.forEach(function () {})", "sparse.every(function () { return true; })",
            "sparse.slice(1)", "sparse.toSorted()", "[].concat(sparse)", "Array.from(sparse, function () {})",
            "Array.prototype.indexOf.call(arrayLike, 2)", "Array.prototype.join.call(arrayLike, '')",
            "Int8Array.from(arrayLike)", "(function () { var n = 0; for (var x of sparse) n++; return n; })()"})
    void builtInsVisitingABillionIndicesFailWithTheTimeoutBeforeStarting(String expression) {
        MapFunction map = DesignDocFunctions.compile(Ddocs.view("function (doc) { var sparse = []; sparse[1e9] = 1;"
                + " var arrayLike = {length: 1e9}; emit(doc._id, " + expression + "); }", null), MODERATE).views().get("v").map();
        long start = System.nanoTime();

        ArborException.Internal failure = assertThrows(ArborException.Internal.class, () -> map.map("{\"_id\":\"a\"}"));

        assertTrue(failure.getMessage().startsWith("os_process_error: OS process timed out"), failure.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "it ran, then was stopped");
    }

    @Test
    void aDenseArrayLongEnoughToBeCheckedIsSearchedAsBefore() {
        // Two million numbers, boxed, with the copies of the array as it grows: more than the default budget.
        MapFunction map = DesignDocFunctions.compile(Ddocs.view("function (doc) { var a = [];"
                + " for (var i = 0; i < 2000000; i++) a.push(i); emit(a.indexOf(1999999), a.includes(-1)); }", null),
                GENEROUS.withMemoryBudget(512L << 20)).views().get("v").map();

        assertEquals(List.of(new Emit(j("1999999"), j("false"))), map.map("{\"_id\":\"a\"}"));
    }

    @Test
    void javaScriptCatchDoesNotSwallowTheTimeout() {
        MapFunction map = DesignDocFunctions.compile(Ddocs.view(
                "function (doc) { for (;;) { try { while (true) {} } catch (e) { emit('caught', 1); } } }", null), SHORT)
                .views().get("v").map();

        assertThrows(ArborException.Internal.class, () -> map.map("{\"_id\":\"a\"}"));
    }

    @Test
    void sandboxAnswersNormallyAfterATimedOutCall() {
        MapFunction map = DesignDocFunctions.compile(Ddocs.view(
                "function (doc) { if (doc.spin) { while (true) {} } emit(doc._id, 1); }", null), MODERATE)
                .views().get("v").map();

        assertThrows(ArborException.Internal.class, () -> map.map("{\"_id\":\"a\",\"spin\":true}"));
        List<Emit> emits = map.map("{\"_id\":\"b\"}");

        assertEquals(List.of(new Emit(j("'b'"), j("1"))), emits);
    }

    @Test
    void longLoopUnderTheLimitCompletes() {
        MapFunction map = DesignDocFunctions.compile(Ddocs.view(
                "function (doc) { var n = 0; for (var i = 0; i < 100000; i++) { n += i; } emit(n, null); }", null), GENEROUS)
                .views().get("v").map();

        assertEquals(List.of(new Emit(j("4999950000"), j("null"))), map.map("{\"_id\":\"a\"}"));
    }

    @Test
    void endlessLoopInValidateAndFilterFailsWithOsProcessError() {
        DesignDocFunctions functions = DesignDocFunctions.compile(ddoc("""
                {'_id': '_design/loops',
                 'validate_doc_update': 'function (newDoc) { while (true) {} }',
                 'filters': {'f': 'function (doc, req) { while (true) {} }'}}"""), SHORT);

        ArborException.Internal validate = assertThrows(ArborException.Internal.class, () -> functions.validateDocUpdate()
                .orElseThrow().validate(j("{'_id':'a'}"), null, j("{'name':null,'roles':[]}"), j("{}")));
        ArborException.Internal filter = assertThrows(ArborException.Internal.class, () -> functions.filter("f")
                .orElseThrow().matches("{\"_id\":\"a\"}", FilterFunction.request(Map.of(), j("{'name':null,'roles':[]}"))));

        assertTrue(validate.getMessage().startsWith("os_process_error"), validate.getMessage());
        assertTrue(filter.getMessage().startsWith("os_process_error"), filter.getMessage());
    }
}
