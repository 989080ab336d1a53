package dev.arbor.bench.run;

import dev.arbor.bench.data.DataSets;
import dev.arbor.bench.data.Scale;
import dev.arbor.bench.report.ResultRow;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the benchmark: makes (or checks) the data, then for each run and each system forks one fresh
 * measuring process on a fresh directory and collects its figures. Runs are interleaved (run 1 of
 * every system, then run 2...) so drift of the machine spreads over all systems alike.
 *
 * <p>Every figure asked for comes back as a row: measured, not yet, not applicable, or failed. A
 * counted figure whose count differs from what the workload asked for is failed, so no system looks
 * fast by doing less.
 */
public final class Harness {
    private final HarnessConfig config;
    private final String commit;
    private final String date;
    private final PrintStream log;

    public Harness(HarnessConfig config, String commit, String date, PrintStream log) {
        this.config = config;
        this.commit = commit;
        this.date = date;
        this.log = log;
    }

    /** What the report says about the data and the warm-up. */
    public record Outcome(List<ResultRow> rows, DataSets.Prepared data, DataSets.Prepared warmup) {}

    public Outcome run() {
        DataSets.Prepared data = DataSets.ensure(config.scale(), config.cacheDir().resolve("data"));
        DataSets.Prepared warmup = DataSets.ensure(Scale.of(config.warmupDocs()), config.cacheDir().resolve("data"));
        log.println("data: " + data.describe() + " in " + data.dir());
        log.println("warm-up: every system runs the same pass on N=" + config.warmupDocs() + " in the same process first");
        List<ResultRow> rows = new ArrayList<>();
        for (int run = 1; run <= config.runs(); run++) {
            DataSets.verify(data);
            DataSets.verify(warmup);
            for (SystemId system : config.systems()) {
                int thisRun = run;
                // Workloads without a counterpart in this system are reported n/a without starting it.
                config.workloads().stream().filter(system::runs).filter(w -> system.notApplicableTo(w) != null)
                        .forEach(w -> Metric.of(w).forEach(m -> rows.add(row(system, thisRun,
                                Measurement.missing(m, Status.NOT_APPLICABLE, system.notApplicableTo(w))))));
                List<Workload> workloads = config.workloads().stream().filter(system::runs)
                        .filter(w -> system.notApplicableTo(w) == null).toList();
                if (workloads.isEmpty()) {
                    continue;
                }
                long start = System.nanoTime();
                List<Measurement> measured = measure(system, workloads, run, data, warmup);
                List<Measurement> checked = check(system, workloads, measured);
                checked.forEach(m -> rows.add(row(system, thisRun, m)));
                log.printf("run %d/%d  %-16s %5.1f s  %s%n", run, config.runs(), system.id,
                        (System.nanoTime() - start) / 1e9, summary(checked));
            }
        }
        return new Outcome(List.copyOf(rows), data, warmup);
    }

    private List<Measurement> measure(SystemId system, List<Workload> workloads, int run, DataSets.Prepared data, DataSets.Prepared warmup) {
        Path work = config.workDir().resolve(system.id + "-run" + run);
        try {
            MeasureMain.deleteTree(work);
            Files.createDirectories(work);
            if (system.runtime == SystemId.Runtime.HTTP) {
                return new HttpMeasurement(config, system, work, config.workDir().resolve(system.id + ".log"))
                        .measure(data.dir(), warmup.dir());
            }
            if (system.runtime == SystemId.Runtime.NETWORK) {
                try (NetworkMeasurement server = NetworkMeasurement.start(config, system, work)) {
                    return launch(system, workloads, server.clientCommand(config, system, data.dir(), warmup.dir()));
                } catch (dev.arbor.bench.workload.NotApplicable e) {
                    return everyMetric(workloads, Status.NOT_APPLICABLE, e.getMessage());
                }
            }
            if (system.runtime == SystemId.Runtime.PEER) {
                return new CouchDbReplication(config, work, config.workDir().resolve("w11-profile.log"))
                        .measure(data.dir(), warmup.dir());
            }
            List<String> command = command(system, workloads, work, data.dir(), warmup.dir());
            return launch(system, workloads, command);
        } catch (RuntimeException | IOException e) {
            return everyMetric(workloads, Status.FAILED, system.id + " could not run: " + e.getMessage());
        } finally {
            MeasureMain.deleteTree(work);
        }
    }

    private List<String> command(SystemId system, List<Workload> selected, Path work, Path data, Path warmup) {
        String workloads = String.join(",", selected.stream().map(Enum::name).toList());
        List<String> command = new ArrayList<>();
        if (system.runtime == SystemId.Runtime.NODE) {
            Path install = PouchDbInstall.ensure(config.cacheDir());
            command.addAll(List.of("node", "--expose-gc", "--max-old-space-size=4096", install.resolve("bench.js").toString()));
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(config.javaOptions());
            command.addAll(List.of("-cp", config.classpath(), MeasureMain.class.getName(), "--system", system.id));
            command.addAll(List.of("--disk-seconds", String.valueOf(config.diskProbe().toMillis() / 1000.0)));
        }
        command.addAll(List.of("--data", data.toString(), "--warmup-data", warmup.toString(),
                "--work", work.toString(), "--workloads", workloads));
        return command;
    }

    private List<Measurement> launch(SystemId system, List<Workload> workloads, List<String> command) throws IOException {
        Path stderr = config.workDir().resolve(system.id + ".log");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        List<Measurement> out = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                ResultProtocol.decode(line).ifPresent(out::add);
            }
            if (!process.waitFor(config.timeoutPerMeasurement().toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return everyMetric(workloads, Status.FAILED, "timed out after " + config.timeoutPerMeasurement());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            return everyMetric(workloads, Status.FAILED, "exited " + process.exitValue() + ": " + tail(stderr));
        }
        return out;
    }

    /** Fills in figures the process never reported, and fails counted figures whose count is not what was asked. */
    private List<Measurement> check(SystemId system, List<Workload> workloads, List<Measurement> measured) {
        List<Measurement> out = new ArrayList<>();
        Set<Metric> seen = new HashSet<>();
        for (Measurement m : measured) {
            if (!workloads.contains(m.workload()) || !seen.add(m.metric())) {
                continue;
            }
            boolean countable = m.status() == Status.OK && m.metric().counted && system != SystemId.DISK;
            if (countable && (m.count() == null || m.count() != expectedCount(m.metric()))) {
                out.add(m.withStatus(Status.FAILED, "did " + m.count() + " operations, the workload asks for " + expectedCount(m.metric())));
            } else {
                out.add(m);
            }
        }
        for (Workload w : workloads) {
            for (Metric metric : Metric.of(w)) {
                if (!seen.contains(metric)) {
                    out.add(Measurement.missing(metric, Status.FAILED, "no figure reported"));
                }
            }
        }
        return out;
    }

    /**
     * How many operations a counted figure must report. W5, W6, W8 and W9 run before the concurrent W2 pass, so they
     * see N plus the sequential W2 docs (W9 also the design documents of W7's index and W8's views).
     */
    public long expectedCount(Metric metric) {
        Scale s = config.scale();
        return switch (metric) {
            case W1_RATE -> s.docs();
            case W2_RATE, W2C_RATE -> s.w2Writes();
            case W3_RATE -> s.w3Reads();
            case W4_RATE -> s.w4Updates();
            case W5_TIME, W6_TIME -> s.docs() + (config.workloads().contains(Workload.W2) ? s.w2Writes() : 0);
            case W8_BUILD_RATE, W8_JAVA_BUILD_RATE -> s.docs() + (config.workloads().contains(Workload.W2) ? s.w2Writes() : 0);
            // W7 and W8 run before W9 and leave their design documents, which W9 replicates too.
            case W9_RATE, W9_HTTP_RATE -> s.docs() + (config.workloads().contains(Workload.W2) ? s.w2Writes() : 0)
                    + (config.workloads().contains(Workload.W7) ? 1 : 0) + (config.workloads().contains(Workload.W8) ? 1 : 0);
            case W10_PUT_RATE -> s.w10Writes();
            case W10_BULK_RATE, W10_PULL_RATE -> s.docs();
            case W11_CC_RATE, W11_CA_ARBOR_RATE, W11_CA_COUCHDB_RATE, W11_AC_ARBOR_RATE, W11_AC_COUCHDB_RATE -> s.docs();
            case C1_PUSH_BATCH, C1_INSERT_BATCH -> s.docs();
            case C1_PUSH_ONE, C1_INSERT_ONE, K1_SET, K1_INCREMENT, K1_SET_C16, K1_INCREMENT_C16 -> s.singleWrites();
            case C1_GET, K1_GET, K1_GET_C16, K1_LAZY_GET, K1_LAZY_GET_C16 -> s.randomReads();
            case K1_LAZY_SET, K1_LAZY_INCREMENT, K1_LAZY_SET_C16, K1_LAZY_INCREMENT_C16 -> s.lazyWrites();
            case N1_KV_SET, N1_KV_GET, N1_PUBSUB_ONE -> dev.arbor.bench.network.NetworkPass.operations(s);
            case N1_PUBSUB_HUNDRED -> 100L * dev.arbor.bench.network.NetworkPass.hundredSubscriberMessages(s);
            case N1_DOC_GET, N1_DOC_GET_HTTP -> s.w3Reads();
            case N1_LIVE_P50 -> dev.arbor.bench.network.NetworkPass.liveQueryWrites(s);
            case P1_ONE -> s.messages(1);
            case P1_HUNDRED, P1_HUNDRED_VIRTUAL -> s.messages(100);
            default -> throw new IllegalArgumentException(metric + " is not counted");
        };
    }

    static List<Measurement> everyMetric(List<Workload> workloads, Status status, String note) {
        return workloads.stream().flatMap(w -> Metric.of(w).stream())
                .map(m -> Measurement.missing(m, status, note)).toList();
    }

    private ResultRow row(SystemId system, int run, Measurement m) {
        return new ResultRow(m.workload().name(), system.id, m.metric().key, m.value(), m.metric().unit, run,
                config.scale().docs(), commit, date, m.status(), m.count(), m.note());
    }

    private static String summary(List<Measurement> measured) {
        long ok = measured.stream().filter(m -> m.status() == Status.OK).count();
        return measured.stream().filter(m -> m.status() == Status.NOT_YET || m.status() == Status.FAILED).findFirst()
                .map(m -> ok + "/" + measured.size() + " figures; " + m.status() + ": " + m.note())
                .orElse(ok + "/" + measured.size() + " figures");
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
