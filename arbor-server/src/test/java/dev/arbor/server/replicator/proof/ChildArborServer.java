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

    /**
     * Starts this class in a child JVM (same java, same classpath) serving {@code data} on {@code port}
     * (0 for any); {@link #portOf} waits for it to listen.
     */
    public static Process launch(Path data, int port, String maxHeap) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx" + maxHeap,
                "-cp", System.getProperty("java.class.path"), ChildArborServer.class.getName(), data.toString(), String.valueOf(port))
                .redirectErrorStream(true).start();
    }

    /** The port the child printed; its further output is drained so it never blocks on a full pipe. */
    public static int portOf(Process child) throws Exception {
        java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<Integer> port = new java.util.concurrent.CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                StringBuilder seen = new StringBuilder();
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    } else if (!port.isDone()) {
                        seen.append(line).append('\n');
                    }
                }
                port.completeExceptionally(new IllegalStateException("the child server exited before listening:\n" + seen));
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
        }, "child-server-output");
        reader.setDaemon(true);
        reader.start();
        return port.get(180, java.util.concurrent.TimeUnit.SECONDS); // a child JVM starts slowly on a busy machine
    }
}
