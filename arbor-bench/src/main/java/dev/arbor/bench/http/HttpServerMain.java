package dev.arbor.bench.http;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Storage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.server.auth.ServerAuth;

import java.nio.file.Path;

/**
 * The server side of a W10 measurement, forked by the harness: {@code HttpServerMain --system
 * http-bare|arbor-http|arbor-https --dir DIR}. Starts the server on a free port of 127.0.0.1, prints
 * {@code LISTENING <url> [<user> <password> [<certificate PEM file>]]} on standard output, and serves until its
 * standard input closes (the harness closes it, or dies). The certificate file is arbor-https's self-signed
 * certificate, which the client adds to the authorities it trusts.
 */
public final class HttpServerMain {
    public static final String LISTENING = "LISTENING ";
    /** The admin arbor-http is started with; the W10 client logs in with Basic auth, as against {@code arbor serve}. */
    static final String ARBOR_USER = "bench";
    static final String ARBOR_PASSWORD = "bench-password";

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
            throw new IllegalArgumentException("usage: HttpServerMain --system http-bare|arbor-http|arbor-https|arbor-ws --dir DIR");
        }
        AutoCloseable server = switch (system) {
            case "http-bare" -> {
                BareHandlerServer bare = BareHandlerServer.start("127.0.0.1", 0);
                System.out.println(LISTENING + bare.uri());
                yield bare;
            }
            case "arbor-http" -> {
                ArborServer arbor = startArbor(dir, ServerConfig.Tls.OFF);
                System.out.println(LISTENING + arbor.uri() + " " + ARBOR_USER + " " + ARBOR_PASSWORD);
                yield arbor;
            }
            case "arbor-ws" -> {
                ArborServer arbor = startArbor(dir, ServerConfig.Tls.OFF, NETWORKED_OPTIONS);
                System.out.println(LISTENING + arbor.uri() + " " + ARBOR_USER + " " + ARBOR_PASSWORD);
                yield arbor;
            }
            case "arbor-https" -> {
                ArborServer arbor = startArbor(dir, ServerConfig.Tls.selfSigned(ServerConfig.Tls.DEFAULT_SERVER_NAME));
                Path certificate = arbor.tls().orElseThrow().certFile().toAbsolutePath();
                System.out.println(LISTENING + arbor.uri() + " " + ARBOR_USER + " " + ARBOR_PASSWORD + " " + certificate);
                yield arbor;
            }
            default -> throw new IllegalArgumentException("HttpServerMain serves http-bare, arbor-http, arbor-https or arbor-ws, not " + system);
        };
        System.out.flush();
        try (server) {
            // Serve until the harness closes our standard input.
            while (System.in.read() >= 0) {
                // ignore input
            }
        }
    }

    /**
     * System property that turns the access log on (to standard error), for diagnosis: the soak's {@code --access-log}
     * compares server-side durations with what its clients measured.
     */
    public static final String ACCESS_LOG_PROPERTY = "arbor.bench.accessLog";

    /**
     * Arbor's server as {@code arbor serve} runs it: durable RocksDB storage (every acknowledged write
     * synced), authentication with one admin, no access log (it would measure the log's disk, not the server);
     * with {@code tls} on, HTTPS as {@code [ssl] enable = true} gives it: a self-signed certificate made in
     * {@code <dir>/tls/} on this first start.
     */
    static ArborServer startArbor(Path dir, ServerConfig.Tls tls) throws Exception {
        return startArbor(dir, tls, ArborOptions.DEFAULT.durability(ArborOptions.Durability.DURABLE));
    }

    /**
     * arbor-ws's storage, set beside Redis without persistence: the key-value store commits lazily (after 1,000
     * changes or 100 ms, applying in memory at once) and commits reach the OS without an fsync. Still more durable than
     * the anchor, which keeps nothing; the documents are the same RocksDB files as arbor-http's.
     */
    static final ArborOptions NETWORKED_OPTIONS = ArborOptions.DEFAULT.durability(ArborOptions.Durability.RELAXED)
            .keyValue(dev.arbor.options.KeyValueOptions.DEFAULT.persistence(
                    dev.arbor.api.keyvalue.KeyValuePersistence.lazy(1000, java.time.Duration.ofMillis(100))));

    static ArborServer startArbor(Path dir, ServerConfig.Tls tls, ArborOptions options) throws Exception {
        ServerConfig config = ServerConfig.defaults(dir).withPort(0).withAccessLog(Boolean.getBoolean(ACCESS_LOG_PROPERTY))
                .withTls(tls);
        Storage storage = Arbor.storage(dir, options);
        ServerAuth auth;
        try {
            auth = ServerAuth.open(dir, storage, ARBOR_USER + ":" + ARBOR_PASSWORD);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        return ArborServer.builder(config, auth.guard(storage))
                .accessControl(auth)
                .extension(auth.sessionEndpoints())
                .start();
    }
}
