package dev.arbor.bench.run;

import dev.arbor.bench.data.Scale;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one harness run measures and where it keeps its files.
 *
 * @param warmupDocs  N of the warm-up data set every system runs through once, in the same process, before its timed pass
 * @param cacheDir    generated data sets and the PouchDB install, kept between runs
 * @param workDir     scratch: one fresh directory per measurement, deleted after it
 * @param javaOptions JVM options of every forked measuring JVM (the same for every JVM system)
 * @param classpath   classpath of the forked JVMs: this process's own
 * @param getPhase    how long W10's random-GET phase runs against each server
 */
public record HarnessConfig(Scale scale, int warmupDocs, int runs, List<Workload> workloads, List<SystemId> systems,
                            Path cacheDir, Path workDir, Duration diskProbe, Duration timeoutPerMeasurement,
                            List<String> javaOptions, String classpath, Duration getPhase) {

    /**
     * A fixed 2 GB heap, touched at start ({@code AlwaysPreTouch}): otherwise the first pass of the young generation
     * through a heap page costs a page fault, and a workload that runs right after a large one (W7 after W1's load,
     * which grew the young generation to ~1.4 GB) spends its first queries faulting in fresh heap rather than
     * querying (measured: W7's all-results p50 23–25 ms until the first young collection reuses touched pages,
     * 12–16 ms with the heap touched). Servers with a fixed heap run this way; the same options for every JVM system.
     */
    public static final List<String> DEFAULT_JAVA_OPTIONS = List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC",
            "--enable-native-access=ALL-UNNAMED");

    public HarnessConfig {
        workloads = List.copyOf(workloads);
        systems = List.copyOf(systems);
        javaOptions = List.copyOf(javaOptions);
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1");
        }
    }
}
