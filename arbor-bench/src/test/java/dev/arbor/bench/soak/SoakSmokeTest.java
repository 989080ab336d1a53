package dev.arbor.bench.soak;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI version of the server soak: 30 s of 200 clients against a server JVM. It pins correctness under
 * concurrency (no failed request, every kind of request served, the heap sampled), never speed; the figures of the
 * 15-minute run live in docs/benchmarks.md.
 */
class SoakSmokeTest {
    @Test
    void twoHundredConcurrentClientsForThirtySecondsGetNoErrors() throws Exception {
        int seconds = Integer.getInteger("arbor.soak.seconds", 30);
        SoakMain.Report report = new SoakMain(Duration.ofSeconds(seconds), 200, Duration.ofSeconds(10))
                .run(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        System.out.print(report.format());
        assertEquals(0, report.errors(), report.format());
        for (SoakMain.Kind kind : SoakMain.Kind.values()) {
            assertTrue(report.latencyNanos().get(kind).length > 0, kind + " was never served: " + report.format());
        }
        assertTrue(report.heapAfterGcKib().stream().allMatch(kib -> kib > 0), "heap not sampled: " + report.heapAfterGcKib());
    }
}
