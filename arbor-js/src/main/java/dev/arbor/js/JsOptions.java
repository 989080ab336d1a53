package dev.arbor.js;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How compiled design document functions report and limit themselves.
 *
 * @param log          receives what CouchDB's query server logs: {@code log(...)} calls from design
 *                     functions and "function raised exception ..." for map and reduce errors
 * @param reduceLimit  CouchDB's {@code [query_server_config] reduce_limit} (default true): a JavaScript
 *                     reduction whose JSON is over 200 characters and more than half as long as its input
 *                     becomes {@code {"reduce_overflow_error": ...}}, as in CouchDB
 * @param timeout      CouchDB's {@code [couchdb] os_process_timeout} (default 5 s): how long one call of a design
 *                     function (map, reduce, validate, filter) may run; past it the call is stopped and fails with
 *                     {@code os_process_error}, so an endless loop in a map function cannot hang the indexer
 * @param memoryBudget how many bytes one call of a design function may allocate on the JVM heap (default
 *                     {@link #DEFAULT_MEMORY_BUDGET}), counting what it turns into JSON (emitted rows, a reduction,
 *                     a rejection); past it the call is stopped and fails with {@code os_process_error}, as CouchDB
 *                     fails a call whose couchjs process dies of its heap limit, so that a design function cannot
 *                     starve the server of memory
 */
public record JsOptions(Consumer<String> log, boolean reduceLimit, Duration timeout, long memoryBudget) {
    /** CouchDB's default {@code os_process_timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(5000);
    /**
     * 64 MiB, what couchjs gives SpiderMonkey by default (its {@code -S} option, the {@code maxbytes} of its
     * JavaScript heap), so that a design function gets about what it gets in CouchDB. Here it counts every byte one
     * call allocates, garbage included, which is stricter than couchjs's limit on live objects. Ordinary calls stay
     * far below it (measured on Rhino 1.9.2): a map over a 300-byte document is charged 20 to 200 KB, the first call
     * of a function the most (it links Rhino's call sites). Large documents cost more: emitting a whole 1 MB
     * document is charged 13 MB, {@code JSON.stringify} of it 47 MB (Rhino's stringify allocates about 40 bytes a
     * character), so a map that stringifies documents over about 1.3 MB needs a larger budget.
     */
    public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;

    private static final System.Logger LOGGER = System.getLogger("dev.arbor.js");

    public JsOptions {
        Objects.requireNonNull(log, "log");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout of design functions must be positive, not " + timeout);
        }
        if (memoryBudget <= 0) {
            throw new IllegalArgumentException("the memory budget of design functions must be positive, not " + memoryBudget);
        }
    }

    /** Logs to the {@code dev.arbor.js} System.Logger at INFO, enforces the reduce limit. */
    public static JsOptions defaults() {
        return new JsOptions(message -> LOGGER.log(System.Logger.Level.INFO, message), true, DEFAULT_TIMEOUT,
                DEFAULT_MEMORY_BUDGET);
    }

    public JsOptions withLog(Consumer<String> sink) {
        return new JsOptions(sink, reduceLimit, timeout, memoryBudget);
    }

    public JsOptions withReduceLimit(boolean enabled) {
        return new JsOptions(log, enabled, timeout, memoryBudget);
    }

    public JsOptions withTimeout(Duration limit) {
        return new JsOptions(log, reduceLimit, limit, memoryBudget);
    }

    /** @param bytes what one call may allocate; see {@link #memoryBudget()} */
    public JsOptions withMemoryBudget(long bytes) {
        return new JsOptions(log, reduceLimit, timeout, bytes);
    }
}
