package dev.arbor.js;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static dev.arbor.js.Ddocs.ddoc;
import static dev.arbor.js.Ddocs.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The memory budget of design functions ({@link JsOptions#memoryBudget()}): a call that allocates more than its
 * budget fails with CouchDB's {@code os_process_error} instead of growing the server's heap, JavaScript cannot catch
 * its way past it, and the function answers its next call normally. Allocations that would happen at once are
 * refused before they are made.
 *
 * <p>No verdict here depends on time: runaway calls get a time limit no machine reaches, so only the budget can stop
 * them, and how far a call got is read from the thread's allocation counter, not a clock.
 */
class MemoryBudgetTest {
    private static final long BUDGET = JsOptions.DEFAULT_MEMORY_BUDGET;
    private static final JsOptions OPTIONS = JsOptions.defaults().withTimeout(Duration.ofMinutes(5));
    private static final String DOC = "{\"_id\":\"a\"}";
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static MapFunction map(String source) {
        return DesignDocFunctions.compile(Ddocs.view(source, null), OPTIONS).views().get("v").map();
    }

    private static void assertOverBudget(String function, ArborException.Internal failure) {
        String message = failure.getMessage();
        assertTrue(message.startsWith("os_process_error"), message);
        assertTrue(message.contains("exceeded its memory budget"), message);
        assertTrue(message.contains(function), message);
    }

    /** Runs {@code call}, which must fail for memory, on this (platform) thread; returns what it allocated. */
    private static long allocationOfFailing(String function, Runnable call) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        assertOverBudget(function, assertThrows(ArborException.Internal.class, call::run));
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void doublingAStringInAMapFailsWithOsProcessErrorNamingTheFunctionAndDesignDocument() {
        MapFunction map = map("function (doc) { var s = 'x'; for (var i = 0; i < 31; i++) s = s + s; emit(doc._id, s); }");

        long allocated = allocationOfFailing("views.v.map of _design/test", () -> map.map(DOC));

        assertTrue(allocated < BUDGET, "allocated " + allocated); // refused while the string was still lazy
    }

    /**
     * Runaway patterns, each stopped within twice the budget: loops that keep what they allocate, strings that
     * double through every way JavaScript has to concatenate, copies in a loop, and values whose JSON explodes.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "var keep = []; for (;;) keep.push(new Array(10000).fill(doc._id));",
            "var keep = []; for (var i = 0; ; i++) keep.push({i: i, s: 'v' + i});",
            "var keep = {}; for (var i = 0; ; i++) keep['k' + i] = [i, i, i];",
            "var s = 'x'; for (var i = 0; i < 31; i++) s = `${s}${s}`; emit(s.length, 1);",
            "var s = 'x'; for (var i = 0; i < 31; i++) s = s.concat(s); emit(s.length, 1);",
            "var s = 'x'; for (var i = 0; i < 31; i++) s = [s, s].join(''); emit(s.length, 1);",
            "var s = 'x'; for (var i = 0; i < 31; i++) s += s + 1; emit(s.length, 1);",
            "var s = 'x'; for (var i = 0; i < 22; i++) s = s + s; var n = 0; for (var k = 0; k < 300; k++) if (s + k === 'z') n++; emit(n, 1);",
            "var big = []; for (var i = 0; i < 1000000; i++) big.push(i); var keep = []; for (;;) keep.push(big.slice());",
            "var a = [1]; for (var i = 0; i < 40; i++) a = [...a, ...a]; emit(a.length, 1);",
            "var a = [1]; for (var i = 0; i < 40; i++) a = [a, a]; emit(String(a).length, 1);",
            "var a = [1]; for (var i = 0; i < 40; i++) a = [a, a]; emit(doc._id, a);",
            "emit(doc._id, 'x'.repeat(1e6).replace(/x/g, 'y'.repeat(1000)).length);",
            "emit(doc._id, 'x'.repeat(1e7).split('').length);",
            "emit(doc._id, eval('x=1;'.repeat(2e6)));"})
    void runawayCallsFailWithTheMemoryErrorWithinTwiceTheBudget(String body) {
        MapFunction map = map("function (doc) { " + body + " }");

        long allocated = allocationOfFailing("views.v.map of _design/test", () -> map.map(DOC));

        assertTrue(allocated < 2 * BUDGET, "allocated " + allocated);
    }

    /** Built-ins that would allocate a large block at once, or fill one in Java where nothing looks: refused before. */
    @ParameterizedTest
    @ValueSource(strings = {
            "'x'.repeat(1 << 28)",
            "''.padStart(1 << 28, 'ab')",
            "'a'.padEnd(1 << 27)",
            "new ArrayBuffer(1e9)",
            "new Float64Array(2e8)",
            "new Uint8Array({length: 1e9})",
            "new Array(1e8).fill(0)",
            "Array.from({length: 1e8})",
            "Math.max.apply(null, {length: 1e9})",
            "Reflect.apply(Math.max, null, {length: 1e9})",
            "new Array(1e9).join('x')",
            "(function () { var a = [1]; for (var i = 0; i < 40; i++) a = [a, a]; return JSON.stringify(a); })()",
            "JSON.stringify(new Array(1e9))",
            "new Function('x=1;'.repeat(1e7))"})
    void builtInsThatWouldAllocateTooMuchAtOnceAreRefusedBeforeAllocating(String expression) {
        MapFunction map = map("function (doc) { emit(doc._id, " + expression + "); }");

        long allocated = allocationOfFailing("views.v.map of _design/test", () -> map.map(DOC));

        assertTrue(allocated < BUDGET / 2, "allocated " + allocated);
    }

    @Test
    void javaScriptCatchAndFinallyCannotSwallowTheMemoryError() {
        MapFunction once = map("function (doc) { try { emit(doc._id, 'x'.repeat(1 << 29).length); }"
                + " catch (e) { emit('caught', String(e)); } finally { emit('finally', 1); } }");
        MapFunction looping = map("function (doc) { var keep = [];"
                + " for (;;) { try { keep.push(new Array(10000).fill(0)); } catch (e) { emit('caught', String(e)); } } }");

        assertOverBudget("views.v.map", assertThrows(ArborException.Internal.class, () -> once.map(DOC)));
        assertOverBudget("views.v.map", assertThrows(ArborException.Internal.class, () -> looping.map(DOC)));
    }

    @Test
    void theFunctionAnswersItsNextCallNormally() {
        MapFunction map = map("function (doc) { if (doc.flood) { var keep = []; for (;;) keep.push(new Array(10000).fill(0)); }"
                + " emit(doc._id, 1); }");

        assertOverBudget("views.v.map", assertThrows(ArborException.Internal.class, () -> map.map("{\"_id\":\"a\",\"flood\":true}")));

        assertEquals(List.of(new Emit(j("'b'"), j("1"))), map.map("{\"_id\":\"b\"}"));
    }

    @Test
    void whatAFailedCallKeptInTheGlobalScopeIsReleasedWithItsSandbox() {
        // CouchDB replaces a couchjs process that died of its heap limit; a sandbox holding a full budget is dropped.
        MapFunction map = map("function (doc) { kept = typeof kept === 'undefined' ? [] : kept; kept.push(doc._id);"
                + " if (doc.flood) { for (;;) kept.push(new Array(10000).fill(0)); } emit(kept.length, null); }");

        assertEquals(List.of(new Emit(j("1"), j("null"))), map.map("{\"_id\":\"a\"}"));
        assertEquals(List.of(new Emit(j("2"), j("null"))), map.map("{\"_id\":\"b\"}"));
        assertThrows(ArborException.Internal.class, () -> map.map("{\"_id\":\"c\",\"flood\":true}"));

        assertEquals(List.of(new Emit(j("1"), j("null"))), map.map("{\"_id\":\"d\"}"));
    }

    /**
     * Each call keeps 10 KB, far within its budget, where the next call finds it: in a global, on {@code this}, in
     * the closure of the map function. A pooled sandbox would hold it all for good; it is retired once its calls have
     * allocated {@link Sandbox#RETIRE_AFTER_BUDGETS} budgets, and the next call starts from a fresh global scope.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "function (doc) { kept = typeof kept === 'undefined' ? [] : kept; kept.push(new Array(5001).join(doc._id));"
                    + " emit(kept.length, null); }",
            "function (doc) { this.kept = this.kept || []; this.kept.push(new Array(5001).join(doc._id));"
                    + " emit(this.kept.length, null); }",
            "(function () { var kept = []; return function (doc) { kept.push(new Array(5001).join(doc._id));"
                    + " emit(kept.length, null); }; })()"})
    void whatCallsKeepBetweenThemStaysWithinTheBudgetsASandboxMayAllocate(String source) throws Exception {
        long budget = 1 << 20;
        long keptPerCall = 5000 * Character.BYTES;
        MapFunction map = DesignDocFunctions.compile(Ddocs.view(source, null), OPTIONS.withMemoryBudget(budget)).views().get("v").map();

        for (boolean virtual : new boolean[] {false, true}) {
            Supplier<List<Long>> keptCounts = () -> {
                List<Long> counts = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    counts.add(map.map(DOC).get(0).key().asLong());
                }
                return counts;
            };
            List<Long> counts = virtual ? onVirtualThread(keptCounts) : keptCounts.get();

            long mostKept = counts.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(mostKept * keptPerCall <= (Sandbox.RETIRE_AFTER_BUDGETS + 1) * budget, "kept " + mostKept + " strings");
            assertTrue(counts.subList(1, counts.size()).contains(1L), "never started afresh: " + counts.subList(0, 20));
        }
    }

    /** Spins for {@code millis}, allocating little: a call that holds its reservation for a while. */
    private static String spinning(int millis) {
        return "function (doc) { var start = Date.now(), n = 0;"
                + " while (Date.now() - start < " + millis + ") { for (var i = 0; i < 1000; i++) n += i; } emit(doc._id, null); }";
    }

    @Test
    void concurrentCallsTogetherHoldNoMoreThanTheHeapShareAndTheRestWait() throws Exception {
        JsHeapShare share = new JsHeapShare(2 * BUDGET);
        MapFunction map = DesignDocFunctions.compile(Ddocs.view(spinning(300), null), OPTIONS, share).views().get("v").map();
        List<Thread> callers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();

        for (int i = 0; i < 4; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    map.map(DOC);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        long mostReserved = 0;
        while (callers.stream().anyMatch(Thread::isAlive)) {
            mostReserved = Math.max(mostReserved, share.reservedBytes());
            Thread.sleep(1);
        }

        assertEquals(List.of(), failures);
        assertEquals(2 * BUDGET, mostReserved);
        assertTrue(System.nanoTime() - start >= 2 * 300_000_000L, "four calls of 300 ms, two at a time");
        assertEquals(0, share.reservedBytes());
    }

    @Test
    void aCallThatCannotReserveItsBudgetWithinItsTimeLimitFailsWithOsProcessError() throws Exception {
        JsHeapShare share = new JsHeapShare(BUDGET);
        MapFunction holding = DesignDocFunctions.compile(Ddocs.view(spinning(2000), null), OPTIONS, share).views().get("v").map();
        MapFunction waiting = DesignDocFunctions.compile(Ddocs.view("function (doc) { emit(doc._id, null); }", null),
                OPTIONS.withTimeout(Duration.ofMillis(200)), share).views().get("v").map();
        Thread holder = Thread.ofVirtual().start(() -> holding.map(DOC));
        while (share.reservedBytes() == 0) {
            Thread.sleep(1);
        }

        ArborException.Internal failure = assertThrows(ArborException.Internal.class, () -> waiting.map(DOC));

        assertTrue(failure.getMessage().startsWith("os_process_error: OS process timed out"), failure.getMessage());
        holder.join();
        assertEquals(List.of(new Emit(j("'a'"), j("null"))), waiting.map(DOC));
    }

    @Test
    void theHeapShareOfTheProcessIsAQuarterOfTheHeap() {
        long quarter = Runtime.getRuntime().maxMemory() / 4;

        assertTrue(Math.abs(JsHeapShare.PROCESS.capacityBytes() - quarter) < 1 << 20, JsHeapShare.PROCESS.capacityBytes() + " bytes");
    }

    @Test
    void callsUnderTheBudgetComplete() {
        // A few tens of MB: a hundred thousand small objects, a long string built by appending, a sizable JSON text.
        MapFunction map = map("function (doc) { var a = []; for (var i = 0; i < 100000; i++) a.push({i: i});"
                + " var s = ''; for (var k = 0; k < 100000; k++) s += 'ab';"
                + " emit(a.length, [s.length, JSON.stringify(a.slice(0, 20000)).length]); }");

        assertEquals(List.of(new Emit(j("100000"), j("[200000,228891]"))), map.map(DOC));
    }

    @Test
    void ordinaryMapsOverOrdinaryDocumentsUseAFractionOfTheBudget() {
        // A budget 64 times smaller than the default still leaves room for the first call, which links Rhino's call sites.
        JsOptions small = OPTIONS.withMemoryBudget(1 << 20);
        List<String> docs = Docs.generate(3, 2000);
        for (String source : List.of(Docs.LIGHT_MAP, Docs.HEAVY_MAP)) {
            MapFunction budgeted = DesignDocFunctions.compile(Ddocs.view(source, null), small).views().get("v").map();
            MapFunction unconstrained = map(source);
            for (String doc : docs) {
                assertEquals(unconstrained.map(doc), budgeted.map(doc));
            }
        }
    }

    @Test
    void theBudgetIsAnOption() {
        String source = "function (doc) { var a = []; for (var i = 0; i < 100000; i++) a.push({i: i}); emit(a.length, null); }";
        MapFunction tight = DesignDocFunctions.compile(Ddocs.view(source, null), OPTIONS.withMemoryBudget(1 << 20)).views().get("v").map();

        assertOverBudget("views.v.map", assertThrows(ArborException.Internal.class, () -> tight.map(DOC)));
        assertEquals(List.of(new Emit(j("100000"), j("null"))), map(source).map(DOC));
        assertThrows(IllegalArgumentException.class, () -> JsOptions.defaults().withMemoryBudget(0));
        assertThrows(IllegalArgumentException.class, () -> JsOptions.defaults().withMemoryBudget(-1));
    }

    @Test
    void aLibraryOfTheDesignDocumentCompilesOutsideTheBudgetWhileEvalOfAsLargeASourceDoesNot() {
        // Rhino allocates about 100 bytes per character compiling: this library takes more than the whole budget.
        String library = "exports.f0 = function (x) { return x + 0; };\n".repeat(27_000);
        var ddoc = Ddocs.view("function (doc) { emit(doc._id, require('views/lib/big').f0(1)); }", null);
        ((com.fasterxml.jackson.databind.node.ObjectNode) ddoc.get("views")).putObject("lib").put("big", library);
        MapFunction requiring = DesignDocFunctions.compile(ddoc, OPTIONS).views().get("v").map();
        MapFunction evaluating = map("function (doc) { var source = 'exports.f0 = function (x) { return x + 0; };\\n'.repeat(27000);"
                + " emit(doc._id, eval(source)); }");

        assertEquals(List.of(new Emit(j("'a'"), j("1"))), requiring.map(DOC));
        assertEquals(List.of(new Emit(j("'b'"), j("1"))), requiring.map("{\"_id\":\"b\"}"));
        assertOverBudget("views.v.map", assertThrows(ArborException.Internal.class, () -> evaluating.map(DOC)));
    }

    @Test
    void validateDocUpdateAndFiltersRunWithinTheBudget() {
        DesignDocFunctions functions = DesignDocFunctions.compile(ddoc("""
                {'_id': '_design/mem',
                 'validate_doc_update': 'function (newDoc) { var s = newDoc._id; for (;;) s = s + s; }',
                 'filters': {'f': 'function (doc, req) { var keep = []; for (;;) keep.push(new Array(10000).fill(0)); }'}}"""), OPTIONS);

        ArborException.Internal validate = assertThrows(ArborException.Internal.class, () -> functions.validateDocUpdate()
                .orElseThrow().validate(j("{'_id':'a'}"), null, j("{'name':null,'roles':[]}"), j("{}")));
        ArborException.Internal filter = assertThrows(ArborException.Internal.class, () -> functions.filter("f")
                .orElseThrow().matches(DOC, FilterFunction.request(Map.of(), j("{'name':null,'roles':[]}"))));

        assertOverBudget("validate_doc_update of _design/mem", validate);
        assertOverBudget("filters.f of _design/mem", filter);
    }

    @Test
    void aRejectionTooLargeToConvertFailsForMemory() {
        ValidateFunction validate = DesignDocFunctions.compile(ddoc("""
                {'_id': '_design/mem', 'validate_doc_update':
                 'function (newDoc) { var a = [1]; for (var i = 0; i < 40; i++) a = [a, a]; throw {forbidden: a}; }'}"""), OPTIONS)
                .validateDocUpdate().orElseThrow();

        assertOverBudget("validate_doc_update of _design/mem", assertThrows(ArborException.Internal.class,
                () -> validate.validate(j("{'_id':'a'}"), null, j("{'name':null,'roles':[]}"), j("{}"))));
    }

    @Test
    void reduceAndRereduceRunWithinTheBudget() {
        ReduceFunction reduce = DesignDocFunctions.compile(Ddocs.view("function (doc) {}",
                "function (keys, values, rereduce) { var keep = []; for (;;) keep.push(values.concat(values)); }"), OPTIONS)
                .views().get("v").reduce().orElseThrow();
        List<MapRow> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(new MapRow(j(Integer.toString(i)), "d" + i, j(Integer.toString(i))));
        }

        assertOverBudget("views.v.reduce of _design/test", assertThrows(ArborException.Internal.class, () -> reduce.reduce(rows)));
        assertOverBudget("views.v.reduce of _design/test", assertThrows(ArborException.Internal.class,
                () -> reduce.rereduce(List.of(j("1"), j("2")))));
    }

    @Test
    void callsOnVirtualThreadsAreHeldToTheSameBudget() throws Exception {
        MapFunction doubling = map("function (doc) { var s = 'x'; for (var i = 0; i < 31; i++) s = s + s; emit(doc._id, s); }");
        MapFunction hoarding = map("function (doc) { var keep = []; for (;;) keep.push(new Array(10000).fill(0)); }");

        assertOverBudget("views.v.map", onVirtualThread(() -> assertThrows(ArborException.Internal.class, () -> doubling.map(DOC))));
        assertOverBudget("views.v.map", onVirtualThread(() -> assertThrows(ArborException.Internal.class, () -> hoarding.map(DOC))));
    }

    @Test
    void aCallThatOutgrowsItsBoundOnAVirtualThreadIsRunAgainOnAMeteredPlatformThreadAndLogsOnce() throws Exception {
        // A virtual thread has no allocation counter of its own: past what all threads allocate, the call moves.
        assumeTrue(AllocationMeter.platformThreadsAreMetered());
        List<String> logThreads = java.util.Collections.synchronizedList(new ArrayList<>());
        Ddocs.Log log = new Ddocs.Log();
        JsOptions options = OPTIONS.withLog(line -> {
            log.lines.add(line);
            logThreads.add(Thread.currentThread().getName());
        });
        MapFunction map = DesignDocFunctions.compile(Ddocs.view("function (doc) { log('mapping ' + doc._id);"
                + " var keep = []; for (;;) keep.push(new Array(10000).fill(0)); }", null), options).views().get("v").map();

        assertOverBudget("views.v.map", onVirtualThread(() -> assertThrows(ArborException.Internal.class, () -> map.map(DOC))));

        assertEquals(List.of("mapping a"), log.lines);
        assertTrue(logThreads.get(0).startsWith("arbor-js-metered-"), logThreads.toString());
    }

    @Test
    void callsOnVirtualThreadsGiveTheRowsTheyGiveOnPlatformThreads() throws Exception {
        List<String> docs = Docs.generate(5, 30);
        String longLoop = "function (doc) { var n = 0; for (var i = 0; i < 200000; i++) { n += i % 7; } emit(doc._id, n); }";
        for (String source : List.of(Docs.HEAVY_MAP, longLoop)) {
            MapFunction map = map(source);
            List<List<Emit>> onPlatform = new ArrayList<>();
            for (String doc : docs) {
                onPlatform.add(map.map(doc));
            }

            List<List<Emit>> onVirtual = onVirtualThread(() -> docs.stream().map(map::map).toList());

            assertEquals(onPlatform, onVirtual);
        }
    }

    private static <T> T onVirtualThread(Supplier<T> work) throws InterruptedException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                result.set(work.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return result.get();
    }
}
