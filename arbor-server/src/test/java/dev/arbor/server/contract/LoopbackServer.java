package dev.arbor.server.contract;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One Arbor server per test class, on an ephemeral 127.0.0.1 port over a RocksDB storage in a temporary
 * directory, for the contract suites that run through the remote client: register it with
 * {@code @RegisterExtension static final LoopbackServer server = new LoopbackServer();} and hand each test
 * {@link #emptiedStorage()}, so the suite pays one server start, not one per test.
 */
public final class LoopbackServer implements BeforeAllCallback, AfterAllCallback {
    private final boolean quic;
    private Path root;
    private ArborServer server;
    /** beforeAll/afterAll also run for each {@code @Nested} class of the suite: the outermost pair owns the server. */
    private int classes;

    public LoopbackServer() {
        this(false);
    }

    private LoopbackServer(boolean quic) {
        this.quic = quic;
    }

    /** The same server also listening for the Arbor protocol over QUIC, on a free UDP port ({@link #quicUri()}). */
    public static LoopbackServer withQuic() {
        return new LoopbackServer(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (classes++ > 0) {
            return;
        }
        root = Files.createTempDirectory("arbor-contract");
        ServerConfig config = ServerConfig.defaults(root).withPort(0).withAccessLog(false);
        ArborServer.Builder builder = ArborServer.builder(config, Arbor.storage(root.resolve("data")));
        server = (quic ? builder.quicPort(0) : builder).start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (--classes > 0) {
            return;
        }
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

    public URI uri() {
        return server.uri();
    }

    /** {@code arbor://127.0.0.1:<quic port>/?pin=<its self-signed certificate>}: the protocol over QUIC. */
    public URI quicUri() {
        return URI.create("arbor://127.0.0.1:" + server.quicPort().orElseThrow() + "/?pin="
                + server.quicTls().orElseThrow().certificate().fingerprint());
    }

    /** A client of the server with every database the previous test left deleted. */
    public Storage emptiedStorage() {
        RemoteStorage storage = new RemoteStorage(server.uri(), RemoteOptions.DEFAULT);
        for (String name : storage.listDatabases()) {
            storage.deleteDatabase(name);
        }
        return storage;
    }
}
