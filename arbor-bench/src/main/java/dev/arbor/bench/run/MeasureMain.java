package dev.arbor.bench.run;

import dev.arbor.ArborOptions;
import dev.arbor.bench.data.WorkloadData;
import dev.arbor.bench.system.ArborStore;
import dev.arbor.bench.system.DiskProbe;
import dev.arbor.bench.system.DocumentStore;
import dev.arbor.bench.system.RocksRawStore;
import dev.arbor.bench.system.SqliteStore;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The measuring process: one system, one fresh directory, one JVM. It first runs the whole pass on
 * the small warm-up data set in a directory of its own (so the JIT has compiled the hot paths of
 * both the system and the harness) and deletes it, then runs the timed pass on the real data set
 * in a fresh directory, and prints its figures with {@link ResultProtocol}.
 *
 * <pre>MeasureMain --system ID --data DIR --warmup-data DIR --work DIR --workloads W1,W2 [--disk-seconds S]</pre>
 */
public final class MeasureMain {
    private MeasureMain() {}

    public static void main(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        SystemId system = SystemId.of(opts.get("--system"));
        Path work = Path.of(opts.get("--work"));
        List<Workload> workloads = Workload.parseList(opts.get("--workloads"));

        List<Measurement> results;
        if (system == SystemId.DISK) {
            results = disk(work, workloads, Duration.ofMillis((long) (Double.parseDouble(opts.getOrDefault("--disk-seconds", "2")) * 1000)));
        } else {
            WorkloadData warmup = WorkloadData.read(Path.of(opts.get("--warmup-data")));
            WorkloadData data = WorkloadData.read(Path.of(opts.get("--data")));
            log(system, "warm-up pass on N=" + warmup.scale().docs());
            pass(system, warmup, workloads, work.resolve("warmup"));
            deleteTree(work.resolve("warmup"));
            System.gc();
            log(system, "timed pass on N=" + data.scale().docs());
            results = pass(system, data, workloads, work.resolve("timed"));
        }
        results.forEach(m -> System.out.println(ResultProtocol.encode(m)));
        System.out.flush();
    }

    /** The selected workloads of the fixed workload over the data set, then C1, K1 and P1, each on a directory of its own. */
    private static List<Measurement> pass(SystemId system, WorkloadData data, List<Workload> workloads, Path dir) {
        List<Measurement> out = new ArrayList<>();
        List<Workload> documentWorkloads = workloads.stream().filter(Workload::isDocumentWorkload).toList();
        if (!documentWorkloads.isEmpty()) {
            out.addAll(documentPass(system, data, documentWorkloads, dir.resolve("documents")));
        }
        for (Workload w : workloads) {
            if (!w.isDocumentWorkload()) {
                Path workloadDir = dir.resolve(w.name().toLowerCase(java.util.Locale.ROOT));
                createDirectories(workloadDir);
                out.addAll(BesideWorkloads.run(system, w, data, workloadDir));
            }
        }
        return out;
    }

    private static List<Measurement> documentPass(SystemId system, WorkloadData data, List<Workload> workloads, Path dir) {
        createDirectories(dir);
        DocumentStore<?> store;
        try {
            store = open(system, dir);
        } catch (UnsupportedOperationException e) {
            return everyMetric(workloads, Status.NOT_YET, "not yet: " + e.getMessage());
        } catch (RuntimeException e) {
            return everyMetric(workloads, Status.FAILED, "open failed: " + e);
        }
        try (store) {
            return new WorkloadPass<>(store, data, workloads).run();
        }
    }

    private static DocumentStore<?> open(SystemId system, Path dir) {
        return switch (system) {
            case ARBOR -> new ArborStore(dir, ArborOptions.Durability.DURABLE);
            case ARBOR_RELAXED -> new ArborStore(dir, ArborOptions.Durability.RELAXED);
            case ARBOR_ENCRYPTED -> ArborStore.encrypted(dir);
            case SQLITE_NORMAL -> new SqliteStore(dir, SqliteStore.Synchronous.NORMAL);
            case SQLITE_FULL -> new SqliteStore(dir, SqliteStore.Synchronous.FULL);
            case ROCKSDB_RAW -> new RocksRawStore(dir);
            case POUCHDB_LEVELDB, DISK, ARBOR_HTTP, ARBOR_HTTPS, POUCHDB_SERVER, HTTP_BARE, COUCHDB, ARBOR_WS, REDIS ->
                    throw new IllegalArgumentException(system.id + " is not measured in a JVM pass");
        };
    }

    /** The disk probe answers W2's sequential write figures only; it needs no warm-up (there is no code to compile). */
    private static List<Measurement> disk(Path work, List<Workload> workloads, Duration duration) {
        List<Measurement> out = new ArrayList<>();
        for (Workload w : workloads) {
            if (w == Workload.W2) {
                createDirectories(work);
                out.addAll(DiskProbe.measure(work, duration));
                for (Metric m : List.of(Metric.W2C_RATE, Metric.W2C_P50, Metric.W2C_P99)) {
                    out.add(Measurement.missing(m, Status.NOT_APPLICABLE, "the disk probe is one sequential writer"));
                }
            } else {
                Metric.of(w).forEach(m -> out.add(Measurement.missing(m, Status.NOT_APPLICABLE, "the disk probe measures fdatasync only")));
            }
        }
        return out;
    }

    private static List<Measurement> everyMetric(List<Workload> workloads, Status status, String note) {
        return workloads.stream().flatMap(w -> Metric.of(w).stream()).map(m -> Measurement.missing(m, status, note)).toList();
    }

    private static void log(SystemId system, String message) {
        System.err.println("[" + system.id + "] " + message);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
