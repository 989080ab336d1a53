package dev.arbor.bench.run;

import dev.arbor.bench.data.Scale;
import dev.arbor.bench.network.NetworkPass;
import dev.arbor.bench.network.RedisServerAccess;
import dev.arbor.bench.report.ResultRow;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * N1 through the whole harness on a tiny data set: Arbor's server forked and driven through ws:// (and http:// for the
 * GETs beside), Redis started from Debian's redis-server and driven through Lettuce, each by a client JVM of its own.
 * Every figure comes back with exactly the work asked for: every key found, every message delivered to every
 * subscriber, every document found.
 */
class NetworkWorkloadTest {
    private static final Scale TINY = Scale.of(500);

    private static Map<Metric, ResultRow> run(SystemId system, Path cache) {
        HarnessConfig config = new HarnessConfig(TINY, 200, 1, List.of(Workload.N1), List.of(system), cache,
                cache.resolve("work"), Duration.ofMillis(200), Duration.ofMinutes(3), List.of("-Xmx256m"),
                System.getProperty("java.class.path"), Duration.ofSeconds(2));
        Harness harness = new Harness(config, "test", "2024-06-01T00:00:00Z", new PrintStream(new ByteArrayOutputStream()));
        Map<Metric, ResultRow> rows = harness.run().rows().stream().collect(Collectors.toMap(ResultRow::metricEnum, Function.identity()));
        assertEquals(Metric.of(Workload.N1).size(), rows.size(), "every N1 figure is reported");
        assertFalse(Files.exists(cache.resolve("work").resolve(system.id + "-run1")), "the measurement's directory is gone");
        return rows;
    }

    private static void assertMeasuredInFull(ResultRow row, long expected) {
        assertEquals(Status.OK, row.status(), row.metric() + ": " + row.note());
        assertEquals(expected, row.count(), row.metric() + " did all its work");
        assertTrue(row.value() > 0, row.metric() + " has a rate");
    }

    @Test
    void arborOverTheProtocolDoesEveryOperationAndServesTheSameDocumentsOverHttp(@TempDir Path cache) {
        Map<Metric, ResultRow> rows = run(SystemId.ARBOR_WS, cache);

        assertMeasuredInFull(rows.get(Metric.N1_KV_SET), TINY.docs() / 5);
        assertMeasuredInFull(rows.get(Metric.N1_KV_GET), TINY.docs() / 5);
        assertMeasuredInFull(rows.get(Metric.N1_PUBSUB_ONE), TINY.docs() / 5);
        assertMeasuredInFull(rows.get(Metric.N1_PUBSUB_HUNDRED), TINY.docs() / 50 * 100L);
        assertMeasuredInFull(rows.get(Metric.N1_DOC_GET), TINY.w3Reads());
        assertMeasuredInFull(rows.get(Metric.N1_DOC_GET_HTTP), TINY.w3Reads());
        assertMeasuredInFull(rows.get(Metric.N1_LIVE_P50), NetworkPass.liveQueryWrites(TINY));
        assertEquals(Status.OK, rows.get(Metric.N1_LIVE_P99).status());
        assertTrue(rows.get(Metric.N1_LIVE_P99).value() >= rows.get(Metric.N1_LIVE_P50).value(), "p99 is at least p50");
        assertEveryCpuCostRead(rows, List.of());
    }

    /** Every figure comes with what it cost the server's process and the client's in CPU, but those {@code absent}. */
    private static void assertEveryCpuCostRead(Map<Metric, ResultRow> rows, List<Metric> absent) {
        List<Metric> costs = Metric.of(Workload.N1).stream().filter(m -> m.key.endsWith("_cpu_us")).toList();
        assertEquals(12, costs.size(), "a server and a client cost for each of the six figures");
        for (Metric m : costs) {
            ResultRow row = rows.get(m);
            if (absent.contains(m)) {
                assertEquals(Status.NOT_APPLICABLE, row.status(), m + ": " + row.note());
            } else {
                assertEquals(Status.OK, row.status(), m + ": " + row.note());
                assertTrue(row.value() >= 0, m + " is a cost");
            }
        }
    }

    @Test
    void redisDoesTheSameOperationsAndHasNoHttpApi(@TempDir Path cache) {
        assumeTrue(RedisServerAccess.installed(), "redis-server is not installed (apt-get install redis-server)");
        Map<Metric, ResultRow> rows = run(SystemId.REDIS, cache);

        assertMeasuredInFull(rows.get(Metric.N1_KV_SET), TINY.docs() / 5);
        assertMeasuredInFull(rows.get(Metric.N1_KV_GET), TINY.docs() / 5);
        assertMeasuredInFull(rows.get(Metric.N1_PUBSUB_ONE), TINY.docs() / 5);
        assertMeasuredInFull(rows.get(Metric.N1_PUBSUB_HUNDRED), TINY.docs() / 50 * 100L);
        assertMeasuredInFull(rows.get(Metric.N1_DOC_GET), TINY.w3Reads());
        assertEquals(Status.NOT_APPLICABLE, rows.get(Metric.N1_DOC_GET_HTTP).status());
        assertEquals(Status.NOT_APPLICABLE, rows.get(Metric.N1_LIVE_P50).status(), "Redis has no live queries");
        assertEveryCpuCostRead(rows, List.of(Metric.N1_DOC_GET_HTTP_SERVER_CPU, Metric.N1_DOC_GET_HTTP_CLIENT_CPU));
    }

    @Test
    void onlyTheNetworkedSystemsRunN1AndTheyRunNothingElseYetN1IsPartOfEveryDefaultRun() {
        for (SystemId s : SystemId.values()) {
            assertEquals(s == SystemId.ARBOR_WS || s == SystemId.REDIS, s.runs(Workload.N1), s.id);
        }
        assertTrue(Arrays.stream(Workload.values()).filter(w -> w != Workload.N1)
                .noneMatch(w -> SystemId.ARBOR_WS.runs(w) || SystemId.REDIS.runs(w)));
        assertTrue(Workload.N1.runsByDefault(), "the quick smoke run exercises N1");
        assertFalse(Workload.N1.isDocumentWorkload(), "N1 is not part of the in-process pass");
    }
}
