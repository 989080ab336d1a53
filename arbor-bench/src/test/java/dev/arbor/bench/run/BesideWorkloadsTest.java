package dev.arbor.bench.run;

import dev.arbor.bench.data.DataSets;
import dev.arbor.bench.data.Scale;
import dev.arbor.bench.data.WorkloadData;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * C1, K1 and P1 in-process on a tiny data set: every figure comes back, each counted one with exactly the work the
 * workload asks for, and what a system lacks (SQLite's lazy persistence) is n/a rather than missing.
 */
class BesideWorkloadsTest {

    @Test
    void arborReportsEveryFigureOfC1K1AndP1WithTheAskedCounts(@TempDir Path dir) throws Exception {
        WorkloadData data = tinyData(dir);
        for (Workload w : List.of(Workload.C1, Workload.K1, Workload.P1)) {
            List<Measurement> measured = BesideWorkloads.run(SystemId.ARBOR, w, data, java.nio.file.Files.createDirectories(dir.resolve(w.name())));
            assertEquals(Metric.of(w).size(), measured.size(), w + " reports every figure");
            for (Measurement m : measured) {
                assertEquals(Status.OK, m.status(), m.metric() + ": " + m.note());
                if (m.metric().counted) {
                    assertEquals(expected(m.metric(), data.scale()), m.count(), m.metric().name());
                }
            }
        }
    }

    @Test
    void sqliteRunsTheImmediateKeyValueFiguresAndHasNoLazyMode(@TempDir Path dir) throws Exception {
        WorkloadData data = tinyData(dir);
        List<Measurement> measured = BesideWorkloads.run(SystemId.SQLITE_FULL, Workload.K1, data, java.nio.file.Files.createDirectories(dir.resolve("k1")));
        for (Measurement m : measured) {
            Status expected = m.metric().key.startsWith("lazy_") ? Status.NOT_APPLICABLE : Status.OK;
            assertEquals(expected, m.status(), m.metric() + ": " + m.note());
        }
        assertNull(SystemId.SQLITE_FULL.notApplicableTo(Workload.C1));
        assertTrue(SystemId.SQLITE_FULL.notApplicableTo(Workload.P1).contains("no publish/subscribe"));
    }

    private static WorkloadData tinyData(Path dir) {
        return WorkloadData.read(DataSets.ensure(Scale.of(500), dir.resolve("data")).dir());
    }

    private static long expected(Metric metric, Scale s) {
        return switch (metric) {
            case C1_PUSH_BATCH, C1_INSERT_BATCH -> s.docs();
            case C1_PUSH_ONE, C1_INSERT_ONE, K1_SET, K1_INCREMENT, K1_SET_C16, K1_INCREMENT_C16 -> s.singleWrites();
            case C1_GET, K1_GET, K1_GET_C16, K1_LAZY_GET, K1_LAZY_GET_C16 -> s.randomReads();
            case K1_LAZY_SET, K1_LAZY_INCREMENT, K1_LAZY_SET_C16, K1_LAZY_INCREMENT_C16 -> s.lazyWrites();
            case P1_ONE -> s.messages(1);
            case P1_HUNDRED, P1_HUNDRED_VIRTUAL -> s.messages(100);
            default -> throw new IllegalArgumentException(metric.name());
        };
    }
}
