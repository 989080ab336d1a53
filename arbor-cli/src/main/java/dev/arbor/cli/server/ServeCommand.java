package dev.arbor.cli.server;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.options.WriteLimits;
import dev.arbor.api.Storage;
import dev.arbor.cli.ArborCommand;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.server.auth.Admins;
import dev.arbor.server.auth.ServerAuth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code arbor serve}: runs the CouchDB-compatible HTTP server on the storage in {@code --data} until
 * SIGINT or SIGTERM, then stops gracefully (requests in flight finish, the storage closes cleanly).
 * Settings come from flags, then {@code ARBOR_*} variables, then {@code <data>/arbor.ini} (see {@link ServerConfig}).
 */
@Command(name = "serve", description = "Run the CouchDB-compatible HTTP server (default http://127.0.0.1:5984/) "
        + "until interrupted. Settings: flags, then ARBOR_HOST/ARBOR_PORT/ARBOR_DATA/..., then <data>/arbor.ini [httpd]. "
        + "ARBOR_ADMIN=name:password creates that admin, or resets its password, at start.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", paramLabel = "ADDRESS", description = "the address to listen on (default: 127.0.0.1)")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = "the port to listen on (default: 5984; 0 picks a free one)")
    private Integer port;

    @Option(names = "--quic-port", paramLabel = "PORT", description = "also serve the Arbor protocol over QUIC "
            + "(arbor://host:PORT) on this UDP port (default: off, or ARBOR_QUIC_PORT, or [arbor] quic_port; 0 picks a free one)")
    private Integer quicPort;

    @Spec
    private CommandSpec spec;

    /**
     * Jetty's own INFO lines (version banner, connector started) repeat what {@code serve} prints itself;
     * its warnings and errors still show. Held in a field: java.util.logging keeps loggers weakly.
     */
    private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");

    @Override
    public Integer call() throws Exception {
        JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
        ArborCommand arbor = (ArborCommand) spec.root().userObject();
        PrintStream out = arbor.stdout();
        ServerConfig config = ServerConfig.load(new ServerConfig.Overrides(host, port, dataDirIfGiven(arbor)), System.getenv());
        // The engine enforces the size limits and runs design functions, so the server's [couchdb] and
        // [query_server_config] settings go to the storage it opens, with [encryption]'s keys.
        Storage storage = Arbor.storage(config.dataDir(), ArborCommand.storageOptions(config.dataDir()).limits(new WriteLimits(
                config.documentLimits().maxDocumentSize(), config.documentLimits().maxAttachmentSize()))
                .designFunctionMemoryBudget(config.designFunctionMemoryBudget()));
        ServerAuth auth;
        try {
            auth = ServerAuth.open(config.dataDir(), storage, System.getenv("ARBOR_ADMIN"));
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        java.util.OptionalInt quic = quicPort != null ? java.util.OptionalInt.of(quicPort)
                : ServerConfig.quicPort(config.dataDir(), System.getenv());
        ArborServer.Builder builder = ArborServer.builder(config, auth.guard(storage));
        if (quic.isPresent()) {
            builder.quicPort(quic.getAsInt());
        }
        ArborServer server = builder
                .accessControl(auth)
                .nodeConfig(auth.nodeConfig())
                .extension(auth.sessionEndpoints())
                .extension(new EncryptionEndpoints(storage))
                .start();
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
        ServerConfig.encryption(config.dataDir(), System.getenv()).ifPresent(encryption -> out.println("  at rest: "
                + "AES-256-GCM, master key from " + (encryption.keyFile() != null ? encryption.keyFile() : "the passphrase")
                + (encryption.defaultKey() != null ? "; new databases sealed under key '" + encryption.defaultKey() + "'"
                : "; new databases encrypted only where [encryption] database_keys names them")));
        server.tls().ifPresentOrElse(tls -> {
            boolean selfSigned = tls.certificate().certificate().getIssuerX500Principal()
                    .equals(tls.certificate().certificate().getSubjectX500Principal());
            out.println("  tls:    " + (!tls.generated() ? "certificate " : selfSigned ? "made a self-signed certificate, "
                    : "obtained a certificate by ACME, ")
                    + tls.certFile() + " (TLS 1.2 and 1.3; plain HTTP is off)");
            out.println("          SHA-256 fingerprint " + tls.certificate().fingerprint());
            out.println("  try:    curl --cacert " + tls.certFile() + " " + server.uri());
        }, () -> out.println("  try:    curl " + server.uri()));
        server.quicPort().ifPresent(udp -> {
            String host = server.uri().getHost();
            String fingerprint = server.quicTls().orElseThrow().certificate().fingerprint();
            out.println("  quic:   arbor://" + host + ":" + udp + " (UDP; TLS 1.3, certificate SHA-256 " + fingerprint + ")");
            out.println("          Arbor.storage(\"arbor://user:password@" + host + ":" + udp + "?pin=" + fingerprint + "\")");
        });
        printLogin(out, auth.admins(), config.dataDir().resolve(ServerAuth.INI_FILE), server.uri());
        out.println("Stop with Ctrl-C (SIGINT) or SIGTERM.");
        out.flush();
        stopped.await();
        return 0;
    }

    /**
     * How to log in, and what this start did to the admins: a generated password is shown here once and stored
     * only as a hash; an admin ARBOR_ADMIN created or whose password it replaced is said so, never silently.
     */
    static void printLogin(PrintStream out, Admins admins, java.nio.file.Path ini, URI uri) {
        String others = String.join(", ", admins.names());
        switch (admins.startup()) {
            case Admins.Startup.Generated generated -> {
                out.println("  admin:  created '" + generated.name() + "' with password " + generated.password());
                out.println("          (shown only this once; stored hashed in " + ini + ")");
                out.println("  login:  curl -u " + generated.name() + ":" + generated.password() + " " + uri.resolve("_session"));
            }
            case Admins.Startup.Created created -> out.println("  admin:  ARBOR_ADMIN created admin '" + created.name()
                    + "' (stored hashed in " + ini + "; admins: " + others + ")");
            case Admins.Startup.PasswordReset reset -> out.println("  admin:  ARBOR_ADMIN reset the password of admin '"
                    + reset.name() + "' (stored hashed in " + ini + "; admins: " + others + ")");
            case Admins.Startup.Unchanged unchanged -> out.println("  admin:  '" + unchanged.name()
                    + "' as ARBOR_ADMIN gives it, password unchanged (admins: " + others + ", from " + ini + ")");
            case Admins.Startup.Existing existing -> out.println("  admins: " + others + " (from " + ini
                    + " [admins]; ARBOR_ADMIN=name:password sets one at start)");
        }
        out.println("  access: Basic auth or a session cookie from POST /_session; new databases are admin-only");
    }

    /** {@code --data} only when typed: otherwise ARBOR_DATA may choose, as the precedence rule says. */
    private java.nio.file.Path dataDirIfGiven(ArborCommand arbor) {
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--data")
                || spec.root().commandLine().getParseResult().hasMatchedOption("--data");
        return given ? arbor.dataDir() : null;
    }
}
