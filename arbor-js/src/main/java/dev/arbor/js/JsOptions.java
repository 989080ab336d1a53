package dev.arbor.js;

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
 */
public record JsOptions(Consumer<String> log, boolean reduceLimit) {
    private static final System.Logger LOGGER = System.getLogger("dev.arbor.js");

    public JsOptions {
        Objects.requireNonNull(log, "log");
    }

    /** Logs to the {@code dev.arbor.js} System.Logger at INFO, enforces the reduce limit. */
    public static JsOptions defaults() {
        return new JsOptions(message -> LOGGER.log(System.Logger.Level.INFO, message), true);
    }

    public JsOptions withLog(Consumer<String> sink) {
        return new JsOptions(sink, reduceLimit);
    }

    public JsOptions withReduceLimit(boolean enabled) {
        return new JsOptions(log, enabled);
    }
}
