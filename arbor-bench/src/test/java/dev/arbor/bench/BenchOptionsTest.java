package dev.arbor.bench;

import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Workload;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a run writes: under target/ unless told otherwise, so a quick run never overwrites the committed report. */
class BenchOptionsTest {

    @Test
    void aRunWritesUnderTargetUnlessToldOtherwise() {
        for (String[] args : List.of(new String[0], new String[] {"--quick"}, new String[] {"--only", "W1,W3", "--runs", "1"})) {
            BenchOptions options = BenchOptions.parse(args);

            assertEquals(Path.of("target", "bench"), options.out(), String.join(" ", args));
            for (Path written : List.of(options.report(), options.benchDir(), options.benchDir().resolve("results.jsonl"))) {
                assertTrue(written.startsWith(Path.of("target")), written + " is under target/");
                assertFalse(written.startsWith(Path.of("docs")), written + " is not the committed report");
            }
            assertFalse(options.writesCommittedReport());
        }
    }

    @Test
    void outDocsWritesTheCommittedReport() {
        BenchOptions options = BenchOptions.parse("--quick", "--out", "docs");

        assertEquals(Path.of("docs", "benchmarks.md"), options.report());
        assertEquals(Path.of("docs", "bench"), options.benchDir());
        assertTrue(options.writesCommittedReport());
        assertTrue(BenchOptions.parse("--out", "./docs").writesCommittedReport());
        assertTrue(BenchOptions.parse("--out", Path.of("docs").toAbsolutePath().toString()).writesCommittedReport());
    }

    @Test
    void outNamesAnyOtherDirectory() {
        BenchOptions options = BenchOptions.parse("--out", "target/bench-quick");

        assertEquals(Path.of("target", "bench-quick", "benchmarks.md"), options.report());
        assertFalse(options.writesCommittedReport());
    }

    @Test
    void otherOptionsParseAsBefore() {
        BenchOptions options = BenchOptions.parse("--quick", "--only", "W1,K1", "--systems", "arbor,sqlite-full", "--runs", "2",
                "--n", "500", "--warmup", "100", "--cache", "/tmp/c", "--disk-seconds", "0.5", "--get-seconds", "3");

        assertTrue(options.quick());
        assertEquals(List.of(Workload.W1, Workload.K1), options.workloads());
        assertEquals(List.of(SystemId.ARBOR, SystemId.SQLITE_FULL), options.systems());
        assertEquals(2, options.runs());
        assertEquals(500, options.n());
        assertEquals(100, options.warmup());
        assertEquals(Path.of("/tmp/c"), options.cache());
        assertEquals(0.5, options.diskSeconds());
        assertEquals(3, options.getSeconds());
        assertFalse(options.help());
        assertTrue(BenchOptions.parse("--help").help());
    }

    @Test
    void unknownOptionsAndMissingValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--bogus"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--out"));
    }
}
