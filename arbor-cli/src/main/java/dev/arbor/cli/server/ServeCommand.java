package dev.arbor.cli.server;

import dev.arbor.Arbor;
import dev.arbor.cli.ArborCommand;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code arbor serve}: runs the CouchDB-compatible HTTP server on the storage in {@code --data} until
 * SIGINT or SIGTERM, then stops gracefully (requests in flight finish, the storage closes cleanly).
 * Settings come from flags, then {@code ARBOR_*} variables, then {@code <data>/arbor.ini} (see {@link ServerConfig}).
 */
@Command(name = "serve", description = "Run the CouchDB-compatible HTTP server (default http://127.0.0.1:5984/) "
        + "until interrupted. Settings: flags, then ARBOR_HOST/ARBOR_PORT/ARBOR_DATA/..., then <data>/arbor.ini [httpd].")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", paramLabel = "ADDRESS", description = "the address to listen on (default: 127.0.0.1)")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = "the port to listen on (default: 5984; 0 picks a free one)")
    private Integer port;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ArborCommand arbor = (ArborCommand) spec.root().userObject();
        PrintStream out = arbor.stdout();
        ServerConfig config = ServerConfig.load(new ServerConfig.Overrides(host, port, dataDirIfGiven(arbor)), System.getenv());
        ArborServer server = ArborServer.builder(config, Arbor.storage(config.dataDir())).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("arbor: stopping (waiting up to " + config.shutdownTimeout().toSeconds()
                    + " s for requests in flight)...");
            server.close();
            out.println("arbor: stopped.");
            out.flush();
            stopped.countDown();
        }, "arbor-shutdown"));
        out.println("Arbor " + ArborServer.version() + " listening on " + server.uri());
        out.println("  data:   " + config.dataDir());
        out.println("  try:    curl " + server.uri());
        out.println("  access: no login needed yet; every request is served as an anonymous user.");
        out.println("Stop with Ctrl-C (SIGINT) or SIGTERM.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** {@code --data} only when typed: otherwise ARBOR_DATA may choose, as the precedence rule says. */
    private java.nio.file.Path dataDirIfGiven(ArborCommand arbor) {
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--data")
                || spec.root().commandLine().getParseResult().hasMatchedOption("--data");
        return given ? arbor.dataDir() : null;
    }
}
