package dev.arbor.bench.report;

import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkdownReportTest {
    private static final MarkdownReport.RunFacts FACTS = new MarkdownReport.RunFacts("2024-06-01T00:00:00Z", "abc123", 100000, 3,
            false, "N=100000, checked", "same pass on N=10000 first.", List.of("-Xmx2g"),
            new MachineInfo("cpu", 2, "24 GiB", "/dev/vda (ext4)", "Linux", "Java 25", "v20"));

    private static List<ResultRow> w3(String system, Status status, double... values) {
        List<ResultRow> rows = new ArrayList<>();
        if (values.length == 0) {
            rows.add(new ResultRow("W3", system, "reads_per_s", null, "reads/s", 1, 100000, "abc123", "d", status, null, "engine not wired yet"));
        }
        for (int i = 0; i < values.length; i++) {
            rows.add(new ResultRow("W3", system, "reads_per_s", values[i], "reads/s", i + 1, 100000, "abc123", "d", status, 20000L, null));
        }
        return rows;
    }

    @Test
    void tableGivesMedianRangeAndArborRatioAgainstEachAnchor() {
        List<ResultRow> rows = new ArrayList<>(w3("arbor", Status.OK, 30000, 20000, 40000));
        rows.addAll(w3("sqlite-full", Status.OK, 10000, 12000, 9000));

        String md = MarkdownReport.section(FACTS, List.of(SystemId.ARBOR, SystemId.SQLITE_FULL), rows, Map.of(), "bench");

        assertTrue(md.contains("| sqlite-full | 10,000 | 9,000 – 12,000 | 3.00× |"), md);
        assertTrue(md.contains("| arbor | 30,000 | 20,000 – 40,000 | 1.00× |"), md);
    }

    private static ResultRow w10(String system, String metric, double value) {
        return new ResultRow("W10", system, metric, value, "req/s", 1, 100000, "abc123", "d", Status.OK, null, null);
    }

    @Test
    void theGetTableGivesHttpsOverPlainHttpForEachLoadGenerator() {
        List<ResultRow> rows = List.of(
                w10("arbor-http", "gets_per_s_c32", 20000), w10("arbor-http", "get_p99_ms_c32", 4),
                w10("arbor-http", "gets_per_s_c32_wrk", 40000),
                w10("arbor-https", "gets_per_s_c32", 16000), w10("arbor-https", "get_p99_ms_c32", 5),
                w10("arbor-https", "gets_per_s_c32_wrk", 30000));

        String md = MarkdownReport.section(FACTS, List.of(SystemId.ARBOR_HTTP, SystemId.ARBOR_HTTPS), rows, Map.of(), "bench");

        assertTrue(md.contains("| arbor-http | 20,000 | 20,000 – 20,000 | 4.00 | 40,000 | 1.00× | 0.80× |"), md);
        assertTrue(md.contains("TLS: arbor-https ÷ arbor-http, gets_per_s_c32 0.80×, get_p99_ms_c32 1.25×, gets_per_s_c32_wrk 0.75×."), md);
    }

    @Test
    void aSystemThatCannotRunYetShowsNotYetInsteadOfVanishing() {
        List<ResultRow> rows = new ArrayList<>(w3("arbor", Status.NOT_YET));
        rows.addAll(w3("rocksdb-raw", Status.OK, 5000));

        String md = MarkdownReport.section(FACTS, List.of(SystemId.ARBOR, SystemId.ROCKSDB_RAW), rows, Map.of(), "bench");

        assertTrue(md.contains("| arbor | not yet |"), md);
        assertTrue(md.contains("| rocksdb-raw | 5,000 | 5,000 – 5,000 | — |"), md);
    }

    @Test
    void rewritingKeepsHandWrittenTextAroundTheSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("benchmarks.md");
        Files.writeString(file, "# Benchmarks\n\nIntro by hand.\n\n" + MarkdownReport.BEGIN + "\nold figures\n" + MarkdownReport.END + "\n\nOutro by hand.\n");

        MarkdownReport.write(file, FACTS, List.of(SystemId.ARBOR), w3("arbor", Status.OK, 1234), Map.of(), "bench");

        String text = Files.readString(file);
        assertTrue(text.startsWith("# Benchmarks\n\nIntro by hand.\n\n" + MarkdownReport.BEGIN));
        assertTrue(text.endsWith(MarkdownReport.END + "\n\nOutro by hand.\n"));
        assertTrue(text.contains("| arbor | 1,234 |"));
        assertEquals(-1, text.indexOf("old figures"));
    }

    @Test
    void aReportThatDoesNotExistYetIsCreatedWithTitleAndSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("target").resolve("bench").resolve("benchmarks.md");

        MarkdownReport.write(file, FACTS, List.of(SystemId.ARBOR), w3("arbor", Status.OK, 1234), Map.of(), "bench");

        String text = Files.readString(file);
        assertTrue(text.startsWith(MarkdownReport.FRESH_HEAD + MarkdownReport.BEGIN), text);
        assertTrue(text.contains("docs/benchmarks.md"), "points to the committed report: " + text);
        assertTrue(text.endsWith(MarkdownReport.END + "\n"), text);
    }

    @Test
    void theCommittedReportKeepsItsHandWrittenPartsWhenARunRewritesIt(@TempDir Path dir) throws Exception {
        // The module's tests run in arbor-bench/; the committed report is the project's docs/benchmarks.md.
        String committed = Files.readString(Path.of("..", "docs", "benchmarks.md"));
        int begin = committed.indexOf(MarkdownReport.BEGIN);
        int end = committed.indexOf(MarkdownReport.END);
        assertTrue(begin > 0 && end > begin, "one generated section, between its markers");
        assertEquals(begin, committed.lastIndexOf(MarkdownReport.BEGIN));
        assertEquals(end, committed.lastIndexOf(MarkdownReport.END));
        Path file = dir.resolve("benchmarks.md");
        Files.writeString(file, committed);

        MarkdownReport.write(file, FACTS, List.of(SystemId.ARBOR), w3("arbor", Status.OK, 1234), Map.of(), "bench");

        String text = Files.readString(file);
        assertTrue(text.startsWith(committed.substring(0, begin)), "the text before the section is kept");
        assertTrue(text.endsWith(committed.substring(end)), "the text after the section is kept");
        assertTrue(text.contains("| arbor | 1,234 |"), text);
    }

    @Test
    void workloadsThatCannotRunYetAreListedAsNotYetNeverDropped() {
        String md = MarkdownReport.section(FACTS, List.of(SystemId.ARBOR), List.of(), java.util.Map.of(), "bench");
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (dev.arbor.bench.workload.PlannedWorkload w : dev.arbor.bench.workload.PlannedWorkload.values()) {
            assertTrue(md.contains("| " + w.name() + " | "), w.name() + " is listed");
            named.add(w.name());
        }
        for (dev.arbor.bench.workload.Workload w : dev.arbor.bench.workload.Workload.values()) {
            if (w.isDocumentWorkload()) {
                named.add(w.name());
            }
        }
        assertEquals(10, named.size(), "W1..W10 are each either measured or listed as waiting: " + named);
        assertFalse(md.contains("| W8 | "), "W8 is measured now, not listed as waiting: " + md);
        assertFalse(md.contains("| W7 | "), "W7 is measured now, not listed as waiting: " + md);
    }
}
