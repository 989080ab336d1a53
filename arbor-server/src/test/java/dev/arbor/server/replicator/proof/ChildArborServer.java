package dev.arbor.server.replicator.proof;

import dev.arbor.Arbor;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;

import java.nio.file.Path;

/**
 * An Arbor server in a JVM of its own, for tests that kill it: {@code ChildArborServer <data dir> <port>}
 * (port 0 picks one). Prints {@code PORT <n>} once it listens, then serves until killed.
 */
public final class ChildArborServer {
    private ChildArborServer() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        ServerConfig config = ServerConfig.defaults(data).withPort(Integer.parseInt(args[1])).withAccessLog(false);
        ArborServer server = ArborServer.builder(config, Arbor.storage(data)).start();
        // When the test JVM dies (killed, or a timeout), go with it rather than linger holding the port and data.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(1)));
        System.out.println("PORT " + server.port());
        System.out.flush();
        server.join();
    }
}
