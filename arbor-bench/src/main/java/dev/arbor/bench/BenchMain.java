package dev.arbor.bench;

import dev.arbor.bench.data.Scale;
import dev.arbor.bench.report.Charts;
import dev.arbor.bench.report.MachineInfo;
import dev.arbor.bench.report.MarkdownReport;
import dev.arbor.bench.report.ReportTable;
import dev.arbor.bench.report.ResultsFile;
import dev.arbor.bench.run.Harness;
import dev.arbor.bench.run.HarnessConfig;
import dev.arbor.bench.system.SystemId;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark: {@code BenchMain [--quick] [--only W1,W3] [--systems arbor,sqlite-full] [--runs N] [--out DIR]}.
 * Writes {@code <out>/bench/results.jsonl}, the charts {@code <out>/bench/*.png} and the results section of
 * {@code <out>/benchmarks.md}, where {@code <out>} is {@code target/bench} unless {@code --out} names another
 * directory: {@code --out docs} rewrites the committed report (see {@link BenchOptions}).
 */
public final class BenchMain {
    private static final String USAGE = """
            usage: BenchMain [--quick] [--only W1,C1,...] [--systems a,b,...] [--runs N] [--out DIR]
              --quick          N = 10,000 and one run: checks the harness in a few minutes; not for quoting
              --only           workloads to run (default W1,W2,W3,W4,W5,W6,W7,W8,W9,W10,W11; W11 needs the CouchDB
                               peer ../shared/peers/couchdb and is n/a without it); beside them, never by
                               default: C1 (collections), K1 (key-value), P1 (pub/sub)
              --systems        default: %s
              --runs           runs per system (default 3; 1 with --quick)
              --out            where benchmarks.md and bench/ go (default target/bench, relative to the
                               working directory: ./arbor bench runs from the project root); --out docs
                               rewrites the committed report docs/benchmarks.md and docs/bench/, for a full run
              --n              data set size (default 100000); the sums of 100000 and 10000 are checked
              --warmup         N of the warm-up data set (default 10000)
              --cache          data sets and the PouchDB install (default ~/.cache/arbor-bench)
              --disk-seconds   how long the fdatasync probe runs (default 2)
              --get-seconds    how long W10's random GETs run per server (default 15; 5 with --quick)
            """;

    private BenchMain() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage() == null ? e.toString() : e.getMessage());
            System.err.print(usage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(usage());
            return;
        }
        boolean quick = options.quick();
        Integer n = options.n();
        Integer runs = options.runs();
        Integer getSeconds = options.getSeconds();
        Path cache = options.cache().toAbsolutePath();
        Scale scale = Scale.of(n != null ? n : quick ? Scale.QUICK_DOCS : Scale.FULL_DOCS);
        HarnessConfig config = new HarnessConfig(scale, options.warmup(), runs != null ? runs : quick ? 1 : 3,
                options.workloads(), options.systems(), cache, cache.resolve("work"),
                Duration.ofMillis((long) (options.diskSeconds() * 1000)), Duration.ofMinutes(quick ? 15 : 60),
                HarnessConfig.DEFAULT_JAVA_OPTIONS, System.getProperty("java.class.path"),
                Duration.ofSeconds(getSeconds != null ? getSeconds : quick ? 5 : 15));
        Harness.Outcome outcome = run(config, options.out().toAbsolutePath(), quick, System.out);
        if (!options.writesCommittedReport()) {
            System.out.println("the committed report (docs/benchmarks.md) is unchanged; --out docs rewrites it");
        }
        // A figure that failed means the harness or a system is broken: say so in the exit status, so
        // the quick run in CI is a real smoke test and a full run cannot be half-written unnoticed.
        long failed = outcome.rows().stream().filter(r -> r.status() == dev.arbor.bench.workload.Status.FAILED).count();
        if (failed > 0) {
            outcome.rows().stream().filter(r -> r.status() == dev.arbor.bench.workload.Status.FAILED)
                    .forEach(r -> System.err.println("failed: " + r.system() + " " + r.metric() + ": " + r.note()));
            System.exit(1);
        }
    }

    /** Runs the harness and writes results.jsonl, the charts and the report section. */
    public static Harness.Outcome run(HarnessConfig config, Path out, boolean quick, java.io.PrintStream log) {
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String commit = GitCommit.describe();
        Harness.Outcome outcome = new Harness(config, commit, date, log).run();
        Path benchDir = out.resolve("bench");
        ResultsFile.write(benchDir.resolve("results.jsonl"), outcome.rows());
        List<String> ids = config.systems().stream().map(s -> s.id).toList();
        java.util.Map<ReportTable, String> charts = Charts.write(benchDir, ids, outcome.rows());
        String warmupText = "before its timed pass, every system (JVM or Node alike) runs the same whole pass once, in the same "
                + "process, on the separate N=" + config.warmupDocs() + " data set in its own directory, which is then deleted; "
                + "the disk probe has no warm-up.";
        var facts = new MarkdownReport.RunFacts(date, commit, config.scale().docs(), config.runs(), quick,
                outcome.data().describe(), warmupText, config.javaOptions(), MachineInfo.detect(config.workDir()));
        MarkdownReport.write(out.resolve("benchmarks.md"), facts, config.systems(), outcome.rows(), charts, "bench");
        log.println("wrote " + benchDir.resolve("results.jsonl") + ", " + out.resolve("benchmarks.md") + " and " + charts.size() + " charts");
        return outcome;
    }

    private static String usage() {
        return USAGE.formatted(String.join(",", Arrays.stream(SystemId.values()).map(s -> s.id).toList()));
    }
}
