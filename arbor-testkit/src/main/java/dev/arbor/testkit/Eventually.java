package dev.arbor.testkit;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for something another thread or process makes true. A test that sleeps a fixed time and then checks decides
 * its verdict by how fast the machine happens to be; one that polls until the condition holds passes as soon as it
 * can and fails only at a deadline long enough that reaching it means the thing never happens, not that the machine
 * was busy.
 */
public final class Eventually {
    /** How long a condition may take before the test calls it hung: far beyond any wait on a loaded machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final long POLL_MILLIS = 10;

    /** A check that may throw, as the calls that tests poll usually can. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Eventually() {}

    /** Returns once {@code condition} holds; throws an {@link AssertionError} naming {@code what} after {@link #PATIENCE}. */
    public static void until(String what, Condition condition) throws Exception {
        until(PATIENCE, () -> what, condition);
    }

    /** Returns once {@code condition} holds; throws an {@link AssertionError} with {@code what} after {@link #PATIENCE}. */
    public static void until(Supplier<String> what, Condition condition) throws Exception {
        until(PATIENCE, what, condition);
    }

    /** Returns once {@code condition} holds; throws an {@link AssertionError} with {@code what} after {@code patience}. */
    public static void until(Duration patience, Supplier<String> what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("still not so after " + patience + ": " + what.get());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
