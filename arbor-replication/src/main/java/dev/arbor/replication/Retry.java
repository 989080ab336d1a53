package dev.arbor.replication;

import dev.arbor.core.error.ArborException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Which failures a replication retries, and how long it waits: failures of the peer or the path to it
 * (an internal error, an I/O error) may pass; a refusal (bad request, unauthorized, not found) will not,
 * so it ends the replication at once.
 */
final class Retry {
    private Retry() {}

    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ArborException.Internal || t instanceof IOException || t instanceof UncheckedIOException) {
                return true;
            }
            if (t instanceof ArborException) {
                return false;
            }
        }
        return false;
    }

    /** Exponential backoff: {@code initial * 2^(attempt-1)}, capped. */
    static Duration delay(int attempt, Duration initial, Duration max) {
        long millis = initial.toMillis();
        for (int i = 1; i < attempt && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
