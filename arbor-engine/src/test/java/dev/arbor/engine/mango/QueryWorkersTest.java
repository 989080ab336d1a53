package dev.arbor.engine.mango;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spare cores a large query uses: results in the items' order, the caller never waiting on a busy pool, and
 * nothing still running when map returns. Which thread computes which item is the scheduler's choice, so no verdict
 * here depends on it: where a test needs a particular thread to do the work, it blocks every other thread that could.
 */
class QueryWorkersTest {
    /** Ends a test that would otherwise hang; never reached when the code under test is right. */
    private static final long HUNG_SECONDS = 60;

    @Test
    void resultsComeBackInTheItemsOrderWhicheverThreadComputedThem() {
        List<Integer> items = IntStream.range(0, 200).boxed().toList();
        List<Integer> squares = QueryWorkers.map(items, i -> {
            // Later items take less time, so items finish out of their order whenever more than one thread works.
            busy(20_000L * (items.size() - i) / items.size());
            return i * i;
        });
        assertEquals(items.stream().map(i -> i * i).toList(), squares);
    }

    @Test
    void aQueryCompletesOnItsCallerWhileOtherQueriesHoldEveryWorker() throws Exception {
        // Another query whose items block until released: once all of them have started, it holds its own caller
        // and every thread of the pool, so the next query's helpers can only queue and its caller must do it all.
        int holders = QueryWorkers.PARALLELISM;
        CountDownLatch allHeld = new CountDownLatch(holders);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<Integer>> other = CompletableFuture.supplyAsync(() -> QueryWorkers.map(
                IntStream.range(0, holders).boxed().toList(), i -> {
                    allHeld.countDown();
                    await(release);
                    return i;
                }), runnable -> Thread.ofPlatform().daemon().start(runnable));
        try {
            assertTrue(allHeld.await(HUNG_SECONDS, TimeUnit.SECONDS), "the other query holds every worker");

            String caller = Thread.currentThread().getName();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            List<Integer> items = IntStream.range(0, 50).boxed().toList();
            List<Integer> doubled = QueryWorkers.map(items, i -> {
                threads.add(Thread.currentThread().getName());
                return 2 * i;
            });
            assertEquals(items.stream().map(i -> 2 * i).toList(), doubled);
            assertEquals(Set.of(caller), threads, "with every worker held, the caller did all the work");
        } finally {
            release.countDown();
        }
        assertEquals(IntStream.range(0, holders).boxed().toList(), other.get(HUNG_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void aFailureIsThrownToTheCallerOnlyAfterEveryStartedItemFinished() {
        AtomicInteger running = new AtomicInteger();
        IllegalStateException failure = new IllegalStateException("bad document");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> QueryWorkers.map(
                IntStream.range(0, 50).boxed().toList(), i -> {
                    running.incrementAndGet();
                    try {
                        busy(200_000);
                        if (i == 3) {
                            throw failure;
                        }
                        return i;
                    } finally {
                        running.decrementAndGet();
                    }
                }));
        assertSame(failure, thrown);
        assertEquals(0, running.get(), "an item still ran after map threw: it could read a closed snapshot");
    }

    @Test
    void aSingleItemRunsOnTheCaller() {
        assertEquals(List.of(Thread.currentThread().getName()), QueryWorkers.map(List.of(1), i -> Thread.currentThread().getName()));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(HUNG_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
