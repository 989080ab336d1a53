package dev.arbor.bench.run;

import dev.arbor.bench.data.WorkloadData;
import dev.arbor.bench.network.ArborNetworkClient;
import dev.arbor.bench.network.NetworkClient;
import dev.arbor.bench.network.NetworkPass;
import dev.arbor.bench.network.RedisNetworkClient;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N1's client process, forked by the harness against a server it started: connects as {@code --system} says, runs the
 * pass on the warm-up data (which warms the server's JIT as much as the client's), then the timed pass on a fresh
 * database or keyspace, and prints its figures with {@link ResultProtocol}.
 *
 * <pre>NetworkMain --system arbor-ws|redis --url URL [--user U --password P] --server-pid PID --data DIR --warmup-data DIR</pre>
 */
public final class NetworkMain {
    private NetworkMain() {}

    public static void main(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        SystemId system = SystemId.of(opts.get("--system"));
        long serverPid = Long.parseLong(opts.get("--server-pid"));
        List<Measurement> results;
        try (NetworkClient client = connect(system, opts)) {
            WorkloadData warmup = WorkloadData.read(Path.of(opts.get("--warmup-data")));
            WorkloadData data = WorkloadData.read(Path.of(opts.get("--data")));
            System.err.println("[" + system.id + "] warm-up pass on N=" + warmup.scale().docs());
            new NetworkPass(client, warmup, serverPid).run("warmup");
            System.gc();
            System.err.println("[" + system.id + "] timed pass on N=" + data.scale().docs());
            results = new NetworkPass(client, data, serverPid).run("timed");
        } catch (Exception e) {
            e.printStackTrace();
            results = Metric.of(Workload.N1).stream()
                    .map(m -> Measurement.missing(m, Status.FAILED, "N1 failed: " + e)).toList();
        }
        results.forEach(m -> System.out.println(ResultProtocol.encode(m)));
        System.out.flush();
        // The figures are out: a client library's straggling non-daemon thread must not hold the measurement open.
        System.exit(0);
    }

    private static NetworkClient connect(SystemId system, Map<String, String> opts) {
        return switch (system) {
            case ARBOR_WS -> new ArborNetworkClient(URI.create(opts.get("--url")), opts.get("--user"), opts.get("--password"));
            case REDIS -> new RedisNetworkClient(opts.get("--url"));
            default -> throw new IllegalArgumentException(system.id + " is not measured over the network (N1)");
        };
    }
}
