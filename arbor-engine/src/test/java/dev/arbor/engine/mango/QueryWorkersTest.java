package dev.arbor.engine.mango;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spare cores a large query uses: results in the items' order, and nothing still running when map returns. */
class QueryWorkersTest {
    @Test
    void resultsComeBackInTheItemsOrderWhicheverThreadComputedThem() {
        List<Integer> items = IntStream.range(0, 200).boxed().toList();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> squares = QueryWorkers.map(items, i -> {
            threads.add(Thread.currentThread().getName());
            busy(20_000);
            return i * i;
        });
        assertEquals(items.stream().map(i -> i * i).toList(), squares);
        assertTrue(threads.contains(Thread.currentThread().getName()), "the caller works too: " + threads);
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

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
