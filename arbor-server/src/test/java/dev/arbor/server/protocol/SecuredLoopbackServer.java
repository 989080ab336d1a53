package dev.arbor.server.protocol;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.client.protocol.Reconnect;
import dev.arbor.client.protocol.ReconnectingConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.server.auth.Accounts;
import dev.arbor.server.auth.ServerAuth;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One Arbor server per test class with logins on, as {@code arbor serve} runs it: the server admin {@code root:rootpw}, a
 * RocksDB storage in a temporary directory the test also uses in process ({@link #storage()}), an ephemeral 127.0.0.1
 * port, and a free UDP port for QUIC. Register with {@code @RegisterExtension}; {@link #connect} opens a protocol connection as a user.
 */
final class SecuredLoopbackServer implements BeforeAllCallback, AfterAllCallback {
    static final String ADMIN = "root";
    static final String ADMIN_PASSWORD = "rootpw";

    private final int requestLimit;
    private java.util.function.UnaryOperator<ServerConfig.Limits> tune = limits -> limits;
    /** The largest request body, and so frame, the server takes; the server's default unless set. */
    private long maxFrameBytes;
    /** What a suite adds to the server before it starts (custom APIs, say); nothing by default. */
    private final java.util.function.Consumer<ArborServer.Builder> customize;
    private Path root;
    private Storage storage;
    private ArborServer server;
    private Accounts accounts;
    /** The port of the first start, which a restart binds again. */
    private int boundPort;

    SecuredLoopbackServer() {
        this(ServerConfig.Limits.DEFAULT.clientSimultaneousRequestLimit());
    }

    SecuredLoopbackServer(int requestLimit) {
        this(requestLimit, builder -> {});
    }

    SecuredLoopbackServer(java.util.function.Consumer<ArborServer.Builder> customize) {
        this(ServerConfig.Limits.DEFAULT.clientSimultaneousRequestLimit(), customize);
    }

    private SecuredLoopbackServer(int requestLimit, java.util.function.Consumer<ArborServer.Builder> customize) {
        this.requestLimit = requestLimit;
        this.customize = customize;
    }

    /** A server whose limits are the default ones changed by {@code tune} (request workers, push buffer…). */
    static SecuredLoopbackServer withLimits(java.util.function.UnaryOperator<ServerConfig.Limits> tune) {
        SecuredLoopbackServer server = new SecuredLoopbackServer();
        server.tune = tune;
        return server;
    }

    /** This server takes frames (and request bodies) of at most {@code bytes}, to test the limit with small frames. */
    SecuredLoopbackServer maxFrameBytes(long bytes) {
        this.maxFrameBytes = bytes;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        root = Files.createTempDirectory("arbor-protocol");
        // Fewer hash iterations than the default: logins are checked per connection, and the tests open many.
        Files.writeString(root.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");
        start(0);
    }

    private void start(int port) throws Exception {
        storage = Arbor.storage(root.resolve("data"));
        ServerAuth auth = ServerAuth.open(root, storage, ADMIN + ":" + ADMIN_PASSWORD);
        ServerConfig config = ServerConfig.defaults(root).withPort(port).withAccessLog(false);
        config = config.withLimits(tune.apply(config.limits().withClientSimultaneousRequestLimit(requestLimit)));
        if (maxFrameBytes > 0) {
            config = config.withMaxRequestBodyBytes(maxFrameBytes);
        }
        ArborServer.Builder builder = ArborServer.builder(config, auth.guard(storage)).accessControl(auth).quicPort(0);
        customize.accept(builder);
        server = builder.start();
        accounts = Accounts.open(root, storage);
        boundPort = server.port();
    }

    /** Starts the server again on the same port and data, after {@link #stop}: a restart, as clients see one. */
    void restart() throws Exception {
        start(port());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Stops the server now (the suite's end stops it too; a second stop does nothing). */
    void stop() {
        server.close();
    }

    /** The storage the server serves, used in process. */
    Storage storage() {
        return storage;
    }

    Accounts accounts() {
        return accounts;
    }

    int port() {
        return boundPort;
    }

    /** {@code ws://user:password@127.0.0.1:port}, as a user writes it. */
    URI uri(String user, String password) {
        return URI.create("ws://" + user + ":" + password + "@127.0.0.1:" + port());
    }

    /** Connected as the server admin through {@code port} (a proxy's), reconnecting as {@code policy} says. */
    ProtocolStorage connectAsAdminThrough(int port, Duration timeout, Reconnect policy) {
        return new ProtocolStorage(ReconnectingConnection.open(
                URI.create("ws://" + ADMIN + ":" + ADMIN_PASSWORD + "@127.0.0.1:" + port), timeout, policy));
    }

    int quicPort() {
        return server.quicPort().orElseThrow();
    }

    /** The SHA-256 fingerprint of the self-signed certificate QUIC presents, as a client pins it. */
    String quicFingerprint() {
        return server.quicTls().orElseThrow().certificate().fingerprint();
    }

    /** {@code arbor://user:password@127.0.0.1:port?pin=...}, as a user of a self-signed server writes it. */
    URI quicUri(String user, String password) {
        return URI.create("arbor://" + user + ":" + password + "@127.0.0.1:" + quicPort() + "?pin=" + quicFingerprint());
    }

    ProtocolStorage connectOverQuic(String user, String password) {
        return connectOverQuic(user, password, Reconnect.DEFAULT);
    }

    ProtocolStorage connectOverQuic(String user, String password, Reconnect policy) {
        return new ProtocolStorage(ReconnectingConnection.open(quicUri(user, password), Duration.ofSeconds(30), policy));
    }

    /** As {@code Arbor.storage("ws://…")} connects: reconnecting after a loss with the default backoff. */
    ProtocolStorage connect(String user, String password) {
        return new ProtocolStorage(ReconnectingConnection.open(uri(user, password), Duration.ofSeconds(30), Reconnect.DEFAULT));
    }

    ProtocolStorage connectAsAdmin() {
        return connect(ADMIN, ADMIN_PASSWORD);
    }
}
