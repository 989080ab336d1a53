package dev.arbor.server.http;

import java.util.Locale;

/**
 * One line per request through {@code System.Logger} "dev.arbor.server.access" at INFO, as
 * {@code key=value} pairs a log shipper can split: method, path (raw, as sent), status, response
 * body bytes, milliseconds, and the user ({@code -} for anonymous).
 */
public final class AccessLog {
    private static final System.Logger LOG = System.getLogger("dev.arbor.server.access");

    private final boolean enabled;

    public AccessLog(boolean enabled) {
        this.enabled = enabled && LOG.isLoggable(System.Logger.Level.INFO);
    }

    void log(HttpExchange exchange, long startNanos, String outcome) {
        if (!enabled) {
            return;
        }
        double millis = (System.nanoTime() - startNanos) / 1e6;
        String user = exchange.user().name() == null ? "-" : exchange.user().name();
        LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT,
                "method=%s path=%s status=%d bytes=%d ms=%.2f user=%s%s",
                exchange.method(), exchange.path().raw(), exchange.status(), exchange.responseBytes(), millis,
                user, outcome == null ? "" : " outcome=" + outcome));
    }
}
