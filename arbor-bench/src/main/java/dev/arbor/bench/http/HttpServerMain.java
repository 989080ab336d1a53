package dev.arbor.bench.http;

import java.nio.file.Path;

/**
 * The server side of a W10 measurement, forked by the harness: {@code HttpServerMain --system http-bare
 * --dir DIR}. Starts the server on a free port of 127.0.0.1, prints {@code LISTENING <url>} on standard
 * output, and serves until its standard input closes (the harness closes it, or dies).
 */
public final class HttpServerMain {
    public static final String LISTENING = "LISTENING ";

    private HttpServerMain() {}

    public static void main(String[] args) throws Exception {
        String system = null;
        Path dir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--system" -> system = args[i + 1];
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (system == null || dir == null) {
            throw new IllegalArgumentException("usage: HttpServerMain --system http-bare|arbor-http --dir DIR");
        }
        AutoCloseable server = switch (system) {
            case "http-bare" -> {
                BareHandlerServer bare = BareHandlerServer.start("127.0.0.1", 0);
                System.out.println(LISTENING + bare.uri());
                yield bare;
            }
            default -> throw new IllegalArgumentException("HttpServerMain serves http-bare or arbor-http, not " + system);
        };
        System.out.flush();
        try (server) {
            // Serve until the harness closes our standard input.
            while (System.in.read() >= 0) {
                // ignore input
            }
        }
    }
}
