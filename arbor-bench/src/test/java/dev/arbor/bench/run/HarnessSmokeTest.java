package dev.arbor.bench.run;

import dev.arbor.bench.data.Scale;
import dev.arbor.bench.report.ResultRow;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole harness on a tiny data set: real forked JVMs, real databases, W1–W3 on every JVM
 * system. Pins that each system does exactly the work the workload asks (so none is fast by doing
 * less) and that a system which cannot run yet is reported as such, never dropped.
 */
class HarnessSmokeTest {
    private static final List<SystemId> JVM_SYSTEMS = List.of(SystemId.ARBOR, SystemId.ARBOR_RELAXED,
            SystemId.SQLITE_NORMAL, SystemId.SQLITE_FULL, SystemId.ROCKSDB_RAW);
    private static final List<Workload> W1_TO_W3 = List.of(Workload.W1, Workload.W2, Workload.W3);

    @Test
    void everyJvmSystemDoesTheSameCountOfWork(@TempDir Path cache) {
        HarnessConfig config = new HarnessConfig(Scale.of(500), 100, 1, W1_TO_W3, JVM_SYSTEMS, cache, cache.resolve("work"),
                Duration.ofMillis(200), Duration.ofMinutes(2), List.of("-Xmx512m"), System.getProperty("java.class.path"),
                Duration.ofSeconds(2));
        Harness harness = new Harness(config, "test", "2024-06-01T00:00:00Z", new PrintStream(new ByteArrayOutputStream()));

        List<ResultRow> rows = harness.run().rows();

        Map<String, List<ResultRow>> bySystem = rows.stream().collect(Collectors.groupingBy(ResultRow::system));
        int metricsPerSystem = W1_TO_W3.stream().mapToInt(w -> Metric.of(w).size()).sum();
        for (SystemId system : JVM_SYSTEMS) {
            List<ResultRow> mine = bySystem.get(system.id);
            assertEquals(metricsPerSystem, mine.size(), system.id + " reports every figure asked for");
            for (ResultRow row : mine) {
                assertEquals(Status.OK, row.status(), system.id + " " + row.metric() + ": " + row.note());
                if (row.metricEnum().counted) {
                    assertEquals(harness.expectedCount(row.metricEnum()), row.count(), system.id + " " + row.metric());
                    assertTrue(row.value() > 0, system.id + " " + row.metric() + " has a positive rate");
                }
            }
        }
        assertEquals(500L, harness.expectedCount(Metric.W1_RATE));
        assertEquals(10L, harness.expectedCount(Metric.W2C_RATE));
        assertEquals(100L, harness.expectedCount(Metric.W3_RATE));
        assertFalse(bySystem.get(SystemId.ROCKSDB_RAW.id).isEmpty());
    }
}
