package dev.arbor.server.replicator;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for something a background job does. */
final class Await {
    interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {}

    static void until(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                fail("still not so after " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
