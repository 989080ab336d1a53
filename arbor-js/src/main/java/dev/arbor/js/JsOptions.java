package dev.arbor.js;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How compiled design document functions report and limit themselves.
 *
 * @param log         receives what CouchDB's query server logs: {@code log(...)} calls from design
 *                    functions and "function raised exception ..." for map and reduce errors
 * @param reduceLimit CouchDB's {@code [query_server_config] reduce_limit} (default true): a JavaScript
 *                    reduction whose JSON is over 200 characters and more than half as long as its input
 *                    becomes {@code {"reduce_overflow_error": ...}}, as in CouchDB
 * @param timeout     CouchDB's {@code [couchdb] os_process_timeout} (default 5 s): how long one call of a design
 *                    function (map, reduce, validate, filter) may run; past it the call is stopped and fails with
 *                    {@code os_process_error}, so an endless loop in a map function cannot hang the indexer
 */
public record JsOptions(Consumer<String> log, boolean reduceLimit, Duration timeout) {
    /** CouchDB's default {@code os_process_timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(5000);

    private static final System.Logger LOGGER = System.getLogger("dev.arbor.js");

    public JsOptions {
        Objects.requireNonNull(log, "log");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout of design functions must be positive, not " + timeout);
        }
    }

    /** Logs to the {@code dev.arbor.js} System.Logger at INFO, enforces the reduce limit. */
    public static JsOptions defaults() {
        return new JsOptions(message -> LOGGER.log(System.Logger.Level.INFO, message), true, DEFAULT_TIMEOUT);
    }

    public JsOptions withLog(Consumer<String> sink) {
        return new JsOptions(sink, reduceLimit, timeout);
    }

    public JsOptions withReduceLimit(boolean enabled) {
        return new JsOptions(log, enabled, timeout);
    }

    public JsOptions withTimeout(Duration limit) {
        return new JsOptions(log, reduceLimit, limit);
    }
}
