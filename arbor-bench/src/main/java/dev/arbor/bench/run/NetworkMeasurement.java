package dev.arbor.bench.run;

import dev.arbor.bench.network.RedisServer;
import dev.arbor.bench.system.SystemId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of one N1 measurement, owned by the harness: Arbor's server forked as arbor-ws ({@link ForkedServer})
 * or Redis ({@link RedisServer}), on a fresh directory, and the command of the client JVM ({@link NetworkMain}) that
 * drives it. The client runs in a process of its own, as an application would, with the same JVM options for both
 * systems.
 */
final class NetworkMeasurement implements AutoCloseable {
    /** Stops the server: closes the forked JVM's standard input, or sends Redis SIGTERM; neither throws. */
    private final Runnable server;
    private final List<String> connectArgs;

    private NetworkMeasurement(Runnable server, List<String> connectArgs) {
        this.server = server;
        this.connectArgs = connectArgs;
    }

    /** Starts {@code system}'s server; {@link dev.arbor.bench.workload.NotApplicable} when Redis is not installed. */
    static NetworkMeasurement start(HarnessConfig config, SystemId system, Path work) throws IOException {
        Path serverDir = Files.createDirectories(work.resolve("server"));
        return switch (system) {
            case ARBOR_WS -> {
                ForkedServer arbor = ForkedServer.start(config, system, serverDir, List.of());
                ForkedServer.Listening at = arbor.listening();
                yield new NetworkMeasurement(arbor::close, List.of("--url", at.url(), "--user", at.user(), "--password", at.password(),
                        "--server-pid", String.valueOf(arbor.pid())));
            }
            case REDIS -> {
                RedisServer redis = RedisServer.start(serverDir);
                yield new NetworkMeasurement(redis::close, List.of("--url", redis.url(), "--server-pid", String.valueOf(redis.pid())));
            }
            default -> throw new IllegalArgumentException(system.id + " is not measured over the network (N1)");
        };
    }

    List<String> clientCommand(HarnessConfig config, SystemId system, Path data, Path warmup) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(config.javaOptions());
        command.addAll(List.of("-cp", config.classpath(), NetworkMain.class.getName(), "--system", system.id));
        command.addAll(connectArgs);
        command.addAll(List.of("--data", data.toString(), "--warmup-data", warmup.toString()));
        return command;
    }

    @Override
    public void close() {
        server.run();
    }
}
