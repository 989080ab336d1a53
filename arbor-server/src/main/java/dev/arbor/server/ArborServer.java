package dev.arbor.server;

import dev.arbor.api.Storage;
import dev.arbor.server.attachment.AttachmentEndpoints;
import dev.arbor.server.attachment.MultipartDocumentEndpoints;
import dev.arbor.server.endpoint.AllDocsEndpoints;
import dev.arbor.server.endpoint.BulkEndpoints;
import dev.arbor.server.endpoint.ChangesHandler;
import dev.arbor.server.endpoint.DatabaseEndpoints;
import dev.arbor.server.endpoint.DocumentEndpoints;
import dev.arbor.server.endpoint.MultipartDocuments;
import dev.arbor.server.endpoint.ServerContext;
import dev.arbor.server.endpoint.ServerEndpoints;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.AccessControl;
import dev.arbor.server.http.AccessLog;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;
import dev.arbor.server.http.RouterHandler;
import dev.arbor.server.replicator.ServerReplicator;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Arbor's CouchDB-compatible HTTP server: Jetty's core API (no servlets), every request on a
 * virtual thread, routed by a {@link Router} to the endpoints over one {@link Storage}.
 *
 * <pre>{@code
 * try (ArborServer server = ArborServer.builder(config, Arbor.storage(config.dataDir())).start()) {
 *     System.out.println("listening on " + server.uri());
 *     server.join();
 * }
 * }</pre>
 *
 * <p>Why {@link VirtualThreadPool} with a large limit: blocking reads and writes are simplest on
 * virtual threads, and parked long-poll requests cost memory, not platform threads. Its default limit
 * of 200 concurrent tasks would cap parked long-polls, hence {@link #MAX_CONCURRENT_REQUESTS}.
 *
 * <p>{@link #close()} stops gracefully: the connector stops accepting, requests in flight get up to
 * {@link ServerConfig#shutdownTimeout()} to finish (new ones on open connections are refused with 503),
 * then the storage is closed. The server owns the storage it was given.
 */
public final class ArborServer implements AutoCloseable {
    /** Concurrent requests (each a virtual thread), parked long-polls included. */
    public static final int MAX_CONCURRENT_REQUESTS = 100_000;

    private static final System.Logger LOG = System.getLogger("dev.arbor.server");

    private final Server jetty;
    private final ServerConnector connector;
    /** The certificate served when the port speaks HTTPS; null for plain HTTP. */
    private final dev.arbor.server.tls.ServerTls tls;
    /** Renews a certificate from an ACME authority while the server runs; null for any other certificate. */
    private final dev.arbor.server.tls.AcmeRenewal renewal;
    private final Storage storage;
    private final ServerConfig config;
    private final String uuid;
    private final int port;
    private final GracefulHandler graceful;
    private boolean closed;
    /** Ended first on close: parked live feeds would otherwise hold the graceful stop until its timeout. */
    private final AutoCloseable feeds;
    private final ServerReplicator replicator;
    /** The UDP port of the protocol over QUIC, or -1 when it is off; set once by the builder after construction. */
    private int quicPort = -1;
    /** The certificate QUIC presents, null when QUIC is off; set with {@link #quicPort}. */
    private dev.arbor.server.tls.ServerTls quicTls;

    private ArborServer(Server jetty, ServerConnector connector, GracefulHandler graceful, Storage storage,
                        ServerConfig config, String uuid, AutoCloseable feeds, ServerReplicator replicator,
                        dev.arbor.server.tls.ServerTls tls, dev.arbor.server.tls.AcmeRenewal renewal) {
        this.tls = tls;
        this.renewal = renewal;
        this.feeds = feeds;
        this.replicator = replicator;
        this.graceful = graceful;
        this.jetty = jetty;
        this.connector = connector;
        this.storage = storage;
        this.config = config;
        this.uuid = uuid;
        this.port = connector.getLocalPort();
    }

    public static Builder builder(ServerConfig config, Storage storage) {
        return new Builder(config, storage);
    }

    /** Arbor's version, as built. */
    public static String version() {
        try (InputStream in = ArborServer.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the arbor-server build");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port listened on (the actual one when the config asked for 0), also after {@link #close()}. */
    public int port() {
        return port;
    }

    /**
     * The UDP port of the Arbor protocol over QUIC ({@code arbor://host:port}; the actual one when asked for 0), when
     * the server listens for it ({@link Builder#quicPort}).
     */
    public java.util.OptionalInt quicPort() {
        return quicPort < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(quicPort);
    }

    /**
     * The certificate QUIC connections are shown, when QUIC is on: the HTTPS port's, or the self-signed one in
     * {@code <data>/tls/} (whose fingerprint clients pin: {@code arbor://host:port?pin=...}).
     */
    public java.util.Optional<dev.arbor.server.tls.ServerTls> quicTls() {
        return java.util.Optional.ofNullable(quicTls);
    }

    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create((tls == null ? "http://" : "https://") + host + ":" + port() + "/");
    }

    /** The certificate this server presents to new connections, when it speaks HTTPS (a renewed one once renewed). */
    public java.util.Optional<dev.arbor.server.tls.ServerTls> tls() {
        return java.util.Optional.ofNullable(renewal != null ? renewal.current() : tls);
    }

    public String uuid() {
        return uuid;
    }

    public ServerConfig config() {
        return config;
    }

    /** Requests being handled now (parked long-polls included). */
    public long requestsInFlight() {
        return graceful.getCurrentRequestCount();
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops gracefully (see the class comment), then closes the storage. Calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (renewal != null) {
            renewal.close();
        }
        try {
            feeds.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "live _changes feeds did not end cleanly", e);
        }
        // Before the HTTP stop: one-shot _replicate requests then answer, and every job checkpoints.
        replicator.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "the HTTP server did not stop cleanly", e);
        } finally {
            storage.close();
        }
    }

    /** Assembles a server: the endpoints, the parts other packages plug in, then {@link #start()}. */
    public static final class Builder {
        private final ServerConfig config;
        private final Storage storage;
        private AccessControl accessControl = AccessControl.OPEN;
        /** Null until set: then the default endpoint, capped at {@link ServerConfig.Limits#maxOpenFeeds()}. */
        private ChangesHandler changes;
        /** The JSON part of multipart PUTs is capped by the config's {@code max_document_size} until set otherwise. */
        private MultipartDocuments multipart;
        private final List<ServerExtension> extensions = new ArrayList<>();
        private NodeConfig nodeConfig;
        private final dev.arbor.server.protocol.CustomApis apis = new dev.arbor.server.protocol.CustomApis();
        /** -1: no QUIC. */
        private int quicPort = -1;

        private Builder(ServerConfig config, Storage storage) {
            this.config = config;
            this.storage = storage;
            this.multipart = new MultipartDocumentEndpoints(
                    MultipartDocumentEndpoints.maxJsonBytesFor(config.documentLimits().maxDocumentSize()));
        }

        /** Authentication and authorisation; {@link AccessControl#OPEN} (everyone, anonymous) until set. */
        public Builder accessControl(AccessControl value) {
            this.accessControl = value;
            return this;
        }

        /**
         * The configuration {@code /_node/_local/_config} reads and edits (ServerAuth's, which keeps admins in step);
         * until set, {@code arbor.ini} in the data directory as it is.
         */
        public Builder nodeConfig(NodeConfig value) {
            this.nodeConfig = value;
            return this;
        }

        /**
         * Also serves the Arbor protocol over QUIC on UDP {@code port} of the server's host (0 picks a free one, which
         * {@link ArborServer#quicPort()} reports), with the server's TLS certificate, or, when the HTTP port speaks
         * plain HTTP, the self-signed one kept in {@code <data>/tls/} (made on first use). Off until set.
         */
        public Builder quicPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("quic_port must be 0..65535, not " + port);
            }
            this.quicPort = port;
            return this;
        }

        /** Replaces the {@code _changes} handler (default: every feed type, {@link dev.arbor.server.changes.ChangesEndpoint}). */
        public Builder changes(ChangesHandler value) {
            this.changes = value;
            return this;
        }

        /** Replaces the multipart forms of document requests ({@link MultipartDocumentEndpoints}). */
        public Builder multipartDocuments(MultipartDocuments value) {
            this.multipart = value;
            return this;
        }

        /** More routes, registered after the built-in ones (so an extension may replace one). */
        public Builder extension(ServerExtension value) {
            extensions.add(value);
            return this;
        }

        /**
         * Serves a custom API over the Arbor protocol ({@code ws://}): clients call it with
         * {@code storage.api(api).call(request)}, and {@code handler} runs for each call once the caller was found to
         * have the API's permission. {@link IllegalArgumentException} for a second API of the same name.
         */
        public <Q, R> Builder api(dev.arbor.api.custom.Api<Q, R> api, dev.arbor.server.api.ApiHandler<Q, R> handler) {
            apis.register(api, handler);
            return this;
        }

        /** Binds the port and starts serving; on failure nothing is left running and the storage is closed. */
        public ArborServer start() throws Exception {
            String uuid = ServerIdentity.loadOrCreate(config.dataDir());
            String version = version();
            ServerReplicator replicator = new ServerReplicator(storage);
            dev.arbor.server.endpoint.DbUpdates dbUpdates = new dev.arbor.server.endpoint.DbUpdates();
            dbUpdates.followCommits(storage);
            ServerContext context = new ServerContext(dbUpdates.observe(replicator.storage()), uuid, version);
            Router router = new Router().accessControl(accessControl);
            new ServerEndpoints(context, dbUpdates).register(router);
            dev.arbor.server.http.RequestStats stats = new dev.arbor.server.http.RequestStats();
            NodeConfig node = nodeConfig != null ? nodeConfig : dev.arbor.server.auth.ConfigFile.open(config.dataDir());
            new dev.arbor.server.endpoint.NodeEndpoints(nodeName(config), node, stats).register(router);
            Route databaseRoute = new Route();
            new DatabaseEndpoints(context).register(router, databaseRoute);
            new DocumentEndpoints(context, multipart).register(router, databaseRoute);
            router.database(databaseRoute);
            new AttachmentEndpoints(context).register(router);
            new AllDocsEndpoints(context).register(router);
            new BulkEndpoints(context).register(router);
            if (changes == null) {
                changes = new dev.arbor.server.changes.ChangesEndpoint(new dev.arbor.server.changes.ChangesConfig(
                        config.limits().maxOpenFeeds(), dev.arbor.server.changes.ChangesConfig.DEFAULT.defaultTimeoutMillis()));
            }
            ChangesHandler changesHandler = changes;
            Route.Handler changesRoute = ex -> changesHandler.handle(ex, context.database(ex));
            router.databaseAction("_changes", new Route()
                    .get(Access.CHANGES, changesRoute)
                    .post(Access.CHANGES, changesRoute));
            replicator.register(router);
            new dev.arbor.server.find.FindEndpoints(context).register(router);
            new dev.arbor.server.view.ViewEndpoints(context).register(router);
            new dev.arbor.server.partition.PartitionEndpoints(context).register(router);
            for (ServerExtension extension : extensions) {
                extension.register(router, context);
            }

            VirtualThreadPool threads = new VirtualThreadPool(MAX_CONCURRENT_REQUESTS);
            threads.setName("arbor-http");
            Server jetty = new Server(threads);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            // Jetty reuses header fields seen earlier on a connection, matched without regard to case by default:
            // "Authorization: Basic ..." after "basic ..." would be read as the earlier value. CouchDB reads the
            // scheme case-sensitively ("basic" is no credential), so the cache must too.
            http.setHeaderCacheCaseSensitive(true);
            // The request line is part of the header budget: a URL over it is refused with 414 (CouchErrorHandler).
            http.setRequestHeaderSize(config.limits().maxHeaderBytes());
            // CouchDB paths carry encoded slashes and such in ids (/db/a%2Fb); the Router decodes segments itself.
            http.setUriCompliance(UriCompliance.DEFAULT.with("arbor",
                    UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                    UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                    UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
                    UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
                    UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER,
                    UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));
            ServerConnector connector;
            dev.arbor.server.tls.ServerTls tls = null;
            org.eclipse.jetty.util.ssl.SslContextFactory.Server sslContext = null;
            if (config.tls().enabled()) {
                tls = dev.arbor.server.tls.ServerTls.load(config.tls(), config.dataDir());
                org.eclipse.jetty.server.SecureRequestCustomizer secure = new org.eclipse.jetty.server.SecureRequestCustomizer();
                // Clients reach a local server by address (127.0.0.1) as often as by the certificate's name.
                secure.setSniHostCheck(false);
                http.addCustomizer(secure);
                sslContext = tls.sslContextFactory();
                connector = new ServerConnector(jetty, new org.eclipse.jetty.server.SslConnectionFactory(
                        sslContext, "http/1.1"), new HttpConnectionFactory(http));
            } else {
                connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
            }
            connector.setHost(config.host());
            connector.setPort(config.port());
            // A client that stalls while sending headers or a body loses its connection, and its thread, after this.
            connector.setIdleTimeout(config.limits().idleTimeout().toMillis());
            jetty.setErrorHandler(new dev.arbor.server.http.CouchErrorHandler());
            jetty.addConnector(connector);

            Handler handler = new RouterHandler(router, config.maxRequestBodyBytes(), "Arbor/" + version,
                    new AccessLog(config.accessLog()), stats);
            GzipHandler gzip = new GzipHandler(handler);
            gzip.setIncludedMethods("GET", "POST");
            // A continuous feed flushes each row; compressed output must go out with it.
            gzip.setSyncFlush(true);
            handler = gzip;
            // The Arbor protocol's WebSocket upgrades, outside gzip (a WebSocket carries its own frames) and inside the
            // per-client limit and CORS, which apply to the upgrade request as to any other.
            dev.arbor.server.protocol.ProtocolEndpoint protocol = new dev.arbor.server.protocol.ProtocolEndpoint(
                    context.storage(), accessControl, config.limits().clientSimultaneousRequestLimit(),
                    config.maxRequestBodyBytes(), config.limits().requestWorkers(), config.limits().clientPushBufferBytes(),
                    apis);
            handler = protocol.wrap(jetty, handler);
            if (config.limits().maxRequestsPerClient() > 0) {
                handler = new dev.arbor.server.http.PerClientLimit(config.limits().maxRequestsPerClient(), handler);
            }
            if (config.cors().enabled()) {
                handler = cors(config.cors(), handler);
            }
            GracefulHandler graceful = new GracefulHandler(handler);
            jetty.setHandler(graceful);
            jetty.setStopTimeout(config.shutdownTimeout().toMillis());
            jetty.setStopAtShutdown(false);
            try {
                jetty.start();
            } catch (Exception e) {
                dbUpdates.close();
                replicator.close();
                try {
                    jetty.stop();
                } finally {
                    storage.close();
                }
                throw e;
            }
            AutoCloseable changesFeeds = changes instanceof AutoCloseable closeable ? closeable : () -> { };
            dev.arbor.server.protocol.QuicEndpoint quic;
            // QUIC is TLS 1.3 always: the HTTPS port's certificate, or the self-signed one kept for this data directory.
            dev.arbor.server.tls.ServerTls quicTls = quicPort < 0 ? null : tls != null ? tls
                    : dev.arbor.server.tls.ServerTls.load(ServerConfig.Tls.selfSigned(config.tls().serverName()), config.dataDir());
            try {
                quic = quicPort < 0 ? null : dev.arbor.server.protocol.QuicEndpoint.start(protocol, accessControl,
                        quicTls.certificate(), config.host(), quicPort, config.maxRequestBodyBytes());
            } catch (Exception e) {
                dbUpdates.close();
                replicator.close();
                try {
                    jetty.stop();
                } finally {
                    storage.close();
                }
                throw e;
            }
            AutoCloseable quicConnections = quic == null ? () -> { } : quic;
            AutoCloseable feeds = () -> {
                // Closed last to first: QUIC's connections and port, then the WebSocket ones, the feeds.
                try (dbUpdates; changesFeeds; protocol; quicConnections) {
                    // each ends its live feeds or connections
                }
            };
            dev.arbor.server.tls.AcmeRenewal renewal = tls != null && config.tls().acme() != null && config.tls().certFile() == null
                    ? dev.arbor.server.tls.AcmeRenewal.start(config.tls(), config.dataDir(), tls, sslContext) : null;
            ArborServer server = new ArborServer(jetty, connector, graceful, storage, config, uuid, feeds, replicator, tls, renewal);
            server.quicPort = quic == null ? -1 : quic.port();
            server.quicTls = quicTls;
            replicator.start();
            return server;
        }

        /** This node's name, in CouchDB's {@code name@host} form. */
        private static String nodeName(ServerConfig config) {
            return "arbor@" + config.host();
        }

        private static Handler cors(ServerConfig.Cors cors, Handler next) {
            CrossOriginHandler handler = new CrossOriginHandler();
            Set<String> origins = cors.origins().contains("*") ? Set.of("*")
                    : cors.origins().stream().map(java.util.regex.Pattern::quote).collect(java.util.stream.Collectors.toSet());
            handler.setAllowedOriginPatterns(origins);
            handler.setAllowCredentials(cors.credentials());
            handler.setAllowedMethods(Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "COPY", "OPTIONS"));
            handler.setAllowedHeaders(Set.of("Accept", "Authorization", "Content-Type", "Origin", "Referer",
                    "X-Requested-With", "If-Match", "If-None-Match", "Destination"));
            handler.setExposedHeaders(Set.of("Cache-Control", "Content-Type", "ETag", "Server", "Location"));
            handler.setHandler(next);
            return handler;
        }
    }
}
