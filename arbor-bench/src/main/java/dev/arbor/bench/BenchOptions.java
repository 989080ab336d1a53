package dev.arbor.bench;

import dev.arbor.bench.data.Scale;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Workload;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@link BenchMain}, parsed. Relative paths are resolved against the working directory, which
 * {@code ./arbor bench} sets to the project root: by default a run writes under {@link #DEFAULT_OUT}
 * ({@code target/bench}, ignored by git), so a quick or partial run never overwrites the committed report;
 * {@code --out docs} writes {@code docs/benchmarks.md} and {@code docs/bench/}.
 *
 * @param runs       runs per system, or null for the default (3; 1 with --quick)
 * @param n          data set size, or null for the default (100,000; 10,000 with --quick)
 * @param getSeconds W10's random-GET phase per server, or null for the default (15 s; 5 s with --quick)
 * @param help       -h or --help was given: print the usage and run nothing
 */
public record BenchOptions(boolean quick, List<Workload> workloads, List<SystemId> systems, Integer runs, Integer n,
                           int warmup, Path out, Path cache, double diskSeconds, Integer getSeconds, boolean help) {

    /** Where a run writes its report, results and charts unless {@code --out} says otherwise. */
    public static final Path DEFAULT_OUT = Path.of("target", "bench");
    /** The directory of the committed report: {@code --out docs}. */
    public static final Path COMMITTED_OUT = Path.of("docs");

    public BenchOptions {
        workloads = List.copyOf(workloads);
        systems = List.copyOf(systems);
    }

    /** Parses the arguments; throws {@link IllegalArgumentException} for an unknown option or a missing value. */
    public static BenchOptions parse(String... args) {
        boolean quick = false;
        // C1, K1 and P1 add about a minute even to a quick run, so they run only when named with --only.
        List<Workload> workloads = Arrays.stream(Workload.values()).filter(Workload::runsByDefault).toList();
        List<SystemId> systems = Arrays.asList(SystemId.values());
        Integer runs = null;
        Integer n = null;
        Integer getSeconds = null;
        int warmup = Scale.QUICK_DOCS;
        double diskSeconds = 2;
        Path out = DEFAULT_OUT;
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "arbor-bench");
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--quick" -> quick = true;
                case "--only" -> workloads = Workload.parseList(value(args, ++i, option));
                case "--systems" -> systems = SystemId.parseList(value(args, ++i, option));
                case "--runs" -> runs = Integer.parseInt(value(args, ++i, option));
                case "--n" -> n = Integer.parseInt(value(args, ++i, option));
                case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, option));
                case "--out" -> out = Path.of(value(args, ++i, option));
                case "--cache" -> cache = Path.of(value(args, ++i, option));
                case "--disk-seconds" -> diskSeconds = Double.parseDouble(value(args, ++i, option));
                case "--get-seconds" -> getSeconds = Integer.parseInt(value(args, ++i, option));
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new BenchOptions(quick, workloads, systems, runs, n, warmup, out, cache, diskSeconds, getSeconds, help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** The report: {@code <out>/benchmarks.md}. */
    public Path report() {
        return out.resolve("benchmarks.md");
    }

    /** The results and charts: {@code <out>/bench/}, named from the report as {@code bench/}. */
    public Path benchDir() {
        return out.resolve("bench");
    }

    /** Whether this run writes the committed report ({@code --out docs}, relative to the working directory). */
    public boolean writesCommittedReport() {
        return out.toAbsolutePath().normalize().equals(COMMITTED_OUT.toAbsolutePath().normalize());
    }
}
