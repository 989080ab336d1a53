package dev.arbor.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the server runs: where it listens, where its data lives, and its limits.
 *
 * <p>Each setting is taken from the first of these that gives it:
 * <ol>
 *   <li>command-line flags ({@link Overrides}: {@code --host}, {@code --port}, {@code --data});</li>
 *   <li>environment variables {@code ARBOR_HOST}, {@code ARBOR_PORT}, {@code ARBOR_DATA},
 *       {@code ARBOR_MAX_HTTP_REQUEST_SIZE}, {@code ARBOR_SHUTDOWN_TIMEOUT} (seconds),
 *       {@code ARBOR_ACCESS_LOG} ({@code true}/{@code false}), {@code ARBOR_CORS_ORIGINS} (comma-separated;
 *       setting it turns CORS on);</li>
 *   <li>the ini file {@code <data>/arbor.ini}: section {@code [httpd]} with CouchDB's key names
 *       {@code bind_address}, {@code port}, {@code max_http_request_size} (bytes), {@code enable_cors},
 *       and Arbor's {@code shutdown_timeout} (seconds), {@code access_log} and the {@link Limits}; section {@code [cors]} with
 *       {@code origins} (comma-separated, {@code *} for any) and {@code credentials}; section {@code [couchdb]}
 *       with {@code max_document_size} and {@code max_attachment_size} ({@link DocumentLimits}); section
 *       {@code [query_server_config]} with {@code memory_budget} (bytes, see {@link #designFunctionMemoryBudget}); section
 *       {@code [arbor]} with the Arbor protocol's server-wide {@code request_workers} and {@code client_push_buffer}
 *       (bytes) ({@link Limits});</li>
 *   <li>the defaults: 127.0.0.1, port 5984, {@code ./arbor-data}, 64 MiB, 30 s, access log on, CORS off.</li>
 * </ol>
 * The data directory itself comes from flags, then environment, then the default, since the ini file lives in it.
 *
 * @param port                0 asks the system for a free port (tests)
 * @param maxRequestBodyBytes a request body over this is refused with 413 {@code too_large}
 * @param shutdownTimeout     how long a graceful stop waits for in-flight requests
 * @param limits              what one client or request may hold (see {@link Limits})
 * @param documentLimits      the largest document and attachment a write may carry (see {@link DocumentLimits})
 * @param tls                 whether the port speaks HTTPS, and with which certificate (see {@link Tls})
 * @param designFunctionMemoryBudget {@code [query_server_config] memory_budget}: the bytes of heap one call of a
 *                            design document's JavaScript may allocate (64 MiB by default, couchjs's heap); past it the
 *                            call fails with {@code os_process_error}. As for the document limits, the server does not
 *                            apply it itself: whoever opens the storage hands it to the engine
 *                            ({@code ArborOptions.designFunctionMemoryBudget})
 */
public record ServerConfig(String host, int port, Path dataDir, long maxRequestBodyBytes, Duration shutdownTimeout,
                           boolean accessLog, Cors cors, Limits limits, DocumentLimits documentLimits, Tls tls,
                           long designFunctionMemoryBudget) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5984;
    public static final Path DEFAULT_DATA_DIR = Path.of("arbor-data");
    public static final long DEFAULT_MAX_REQUEST_BODY = 64L * 1024 * 1024;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final String INI_FILE = "arbor.ini";
    /** 64 MiB, what couchjs gives SpiderMonkey by default; the engine's default too. */
    public static final long DEFAULT_DESIGN_FUNCTION_MEMORY_BUDGET = 64L << 20;

    /**
     * Cross-origin requests, so PouchDB in a browser can sync. {@code origins} holds exact origins or
     * {@code *}; credentials (cookies, Basic auth) are allowed only when {@code credentials} is true.
     */
    public record Cors(boolean enabled, Set<String> origins, boolean credentials) {
        public static final Cors OFF = new Cors(false, Set.of(), false);

        public Cors {
            origins = Set.copyOf(origins);
        }
    }

    /**
     * Bounds on what a client can hold, so a slow or greedy one cannot starve the others. From section
     * {@code [httpd]} of the ini file (or the environment variable named in brackets):
     *
     * @param idleTimeout          {@code idle_timeout} seconds ({@code ARBOR_IDLE_TIMEOUT}): a connection that sends
     *                             nothing for this long while Arbor waits for request headers or body is closed, so a
     *                             slow client cannot hold a thread forever (Jetty's connector idle timeout)
     * @param maxHeaderBytes       {@code max_http_header_size}: the request line plus headers; a longer URL is
     *                             refused with 414, longer headers with 431 (mochiweb, under CouchDB, caps lines too)
     * @param maxRequestsPerClient {@code max_requests_per_client} ({@code ARBOR_MAX_REQUESTS_PER_CLIENT}): requests one
     *                             remote address may have in flight at once, parked live feeds included; past it 429
     *                             {@code too_many_requests}; 0 means no limit
     * @param maxOpenFeeds         {@code max_open_changes_feeds}: {@code _changes} feeds open at once server-wide; past
     *                             it 503 (see {@link dev.arbor.server.changes.ChangesConfig})
     * @param clientSimultaneousRequestLimit {@code client_simultaneous_request_limit}: requests one Arbor protocol
     *                             connection ({@code /_arbor/ws}) may have running at once; past it the server stops
     *                             reading that connection until one finishes, so the client's further requests wait
     * @param requestWorkers       {@code [arbor] request_workers}: Arbor protocol requests the whole server runs at
     *                             once, across connections (16 per core by default); more wait for one to finish
     * @param clientPushBufferBytes {@code [arbor] client_push_buffer}: bytes of pushes (pub/sub messages) one protocol
     *                             connection may leave unread (8 MiB by default); past it the connection is closed as
     *                             a slow consumer instead of its queue growing
     */
    public record Limits(Duration idleTimeout, int maxHeaderBytes, int maxRequestsPerClient, int maxOpenFeeds,
                         int clientSimultaneousRequestLimit, int requestWorkers, long clientPushBufferBytes) {
        /**
         * 30 s idle, 8 KiB of headers, no per-client cap, 10,000 feeds. The per-client cap is off by default as in
         * CouchDB: many clients behind one proxy share an address, and thousands of idle feeds from one host are normal.
         */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), 8192, 0, 10_000, 16,
                dev.arbor.server.protocol.ProtocolEndpoint.DEFAULT_REQUEST_WORKERS,
                dev.arbor.server.protocol.ProtocolEndpoint.DEFAULT_PUSH_BUFFER_BYTES);

        /** The limits with the protocol's server-wide defaults (request workers, push buffer). */
        public Limits(Duration idleTimeout, int maxHeaderBytes, int maxRequestsPerClient, int maxOpenFeeds,
                      int clientSimultaneousRequestLimit) {
            this(idleTimeout, maxHeaderBytes, maxRequestsPerClient, maxOpenFeeds, clientSimultaneousRequestLimit,
                    dev.arbor.server.protocol.ProtocolEndpoint.DEFAULT_REQUEST_WORKERS,
                    dev.arbor.server.protocol.ProtocolEndpoint.DEFAULT_PUSH_BUFFER_BYTES);
        }

        /** The limits with the protocol connections' default of 16 requests at once. */
        public Limits(Duration idleTimeout, int maxHeaderBytes, int maxRequestsPerClient, int maxOpenFeeds) {
            this(idleTimeout, maxHeaderBytes, maxRequestsPerClient, maxOpenFeeds, 16);
        }

        public Limits {
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idle_timeout must be positive, not " + idleTimeout);
            }
            if (maxHeaderBytes < 1024) {
                throw new IllegalArgumentException("max_http_header_size must be at least 1024, not " + maxHeaderBytes);
            }
            if (maxRequestsPerClient < 0) {
                throw new IllegalArgumentException("max_requests_per_client must be 0 or more, not " + maxRequestsPerClient);
            }
            if (maxOpenFeeds < 1) {
                throw new IllegalArgumentException("max_open_changes_feeds must be positive, not " + maxOpenFeeds);
            }
            if (clientSimultaneousRequestLimit < 1) {
                throw new IllegalArgumentException("client_simultaneous_request_limit must be positive, not "
                        + clientSimultaneousRequestLimit);
            }
            if (requestWorkers < 1) {
                throw new IllegalArgumentException("request_workers must be positive, not " + requestWorkers);
            }
            if (clientPushBufferBytes < 1) {
                throw new IllegalArgumentException("client_push_buffer must be positive, not " + clientPushBufferBytes);
            }
        }

        public Limits withIdleTimeout(Duration value) {
            return new Limits(value, maxHeaderBytes, maxRequestsPerClient, maxOpenFeeds, clientSimultaneousRequestLimit, requestWorkers, clientPushBufferBytes);
        }

        public Limits withMaxHeaderBytes(int value) {
            return new Limits(idleTimeout, value, maxRequestsPerClient, maxOpenFeeds, clientSimultaneousRequestLimit, requestWorkers, clientPushBufferBytes);
        }

        public Limits withMaxRequestsPerClient(int value) {
            return new Limits(idleTimeout, maxHeaderBytes, value, maxOpenFeeds, clientSimultaneousRequestLimit, requestWorkers, clientPushBufferBytes);
        }

        public Limits withMaxOpenFeeds(int value) {
            return new Limits(idleTimeout, maxHeaderBytes, maxRequestsPerClient, value, clientSimultaneousRequestLimit, requestWorkers, clientPushBufferBytes);
        }

        public Limits withClientSimultaneousRequestLimit(int value) {
            return new Limits(idleTimeout, maxHeaderBytes, maxRequestsPerClient, maxOpenFeeds, value, requestWorkers, clientPushBufferBytes);
        }

        public Limits withRequestWorkers(int value) {
            return new Limits(idleTimeout, maxHeaderBytes, maxRequestsPerClient, maxOpenFeeds, clientSimultaneousRequestLimit, value, clientPushBufferBytes);
        }

        public Limits withClientPushBufferBytes(long value) {
            return new Limits(idleTimeout, maxHeaderBytes, maxRequestsPerClient, maxOpenFeeds, clientSimultaneousRequestLimit, requestWorkers, value);
        }
    }

    /**
     * CouchDB's {@code [couchdb] max_document_size} and {@code max_attachment_size} (bytes; {@code infinity} or
     * absent means no limit for attachments). The server does not check them itself: whoever opens the storage hands
     * them to the engine ({@code ArborOptions.limits}), so Java and HTTP writes are refused alike, with 413
     * {@code document_too_large} / {@code attachment_too_large}.
     */
    public record DocumentLimits(long maxDocumentSize, long maxAttachmentSize) {
        /** CouchDB 3's defaults: 8,000,000-byte documents, attachments of any size. */
        public static final DocumentLimits DEFAULT = new DocumentLimits(8_000_000, Long.MAX_VALUE);

        public DocumentLimits {
            if (maxDocumentSize <= 0 || maxAttachmentSize <= 0) {
                throw new IllegalArgumentException("max_document_size and max_attachment_size must be positive");
            }
        }
    }

    /** Values given on the command line; null means not given. */
    /**
     * HTTPS on the server's port ({@code [ssl]}, as CouchDB names its keys; plain HTTP is then off): {@code enable}
     * ({@code ARBOR_TLS}), {@code cert_file} and {@code key_file} (PEM: the chain, and an unencrypted key), and
     * {@code server_name} for the certificate made when no files are given: a self-signed one, installed in
     * {@code <data>/tls/} on first start and kept, whose SHA-256 fingerprint the server prints for clients to pin.
     * Only TLS 1.2 and 1.3 are spoken.
     */
    public record Tls(boolean enabled, Path certFile, Path keyFile, String serverName, Acme acme) {
        public static final String DEFAULT_SERVER_NAME = "localhost";
        public static final Tls OFF = new Tls(false, null, null, DEFAULT_SERVER_NAME, null);

        public Tls {
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("[ssl] cert_file and key_file go together: give both or neither");
            }
            serverName = serverName == null || serverName.isBlank() ? DEFAULT_SERVER_NAME : serverName;
        }

        /** TLS with a self-signed certificate for {@code serverName}, made on first start. */
        public static Tls selfSigned(String serverName) {
            return new Tls(true, null, null, serverName, null);
        }

        /** TLS with a certificate for {@code serverName} obtained from an ACME authority at start. */
        public static Tls acme(String serverName, Acme acme) {
            return new Tls(true, null, null, serverName, acme);
        }

        /** TLS with the certificate and key in these PEM files. */
        public static Tls fromPem(Path certFile, Path keyFile) {
            return new Tls(true, certFile, keyFile, DEFAULT_SERVER_NAME, null);
        }
    }

    /**
     * A certificate from an ACME authority ({@code [ssl] acme_directory}, e.g. Let's Encrypt's directory URL), for
     * {@code [ssl] server_name}: obtained at start with the HTTP-01 challenge, answered in plain HTTP on
     * {@code acme_challenge_port} (80 unless the authority is told otherwise), kept in {@code <data>/tls/} and reused
     * until 30 days before it ends. While the server runs, it checks every 12 hours whether the certificate has come
     * that near its end, renews it then and serves the new one to new connections, without a restart.
     *
     * @param email         the account's contact ({@code acme_email}); null for {@code admin@<server name>}
     * @param caFile        the authority's own TLS certificate as PEM ({@code acme_ca_file}), for a private authority;
     *                      null trusts the JDK's certificate authorities
     * @param renewBefore   how long before its end the certificate is renewed
     * @param renewalCheck  how often the running server looks at how near its certificate is to that point
     */
    public record Acme(URI directory, String email, Path caFile, int challengePort, Duration renewBefore, Duration renewalCheck) {
        public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofDays(30);
        public static final Duration DEFAULT_RENEWAL_CHECK = Duration.ofHours(12);

        public Acme {
            java.util.Objects.requireNonNull(directory, "acme_directory");
            if (challengePort < 1 || challengePort > 65535) {
                throw new IllegalArgumentException("acme_challenge_port must be 1..65535, not " + challengePort);
            }
            if (renewBefore.isNegative() || !renewalCheck.isPositive()) {
                throw new IllegalArgumentException("the renewal window cannot be negative and the check interval must be positive");
            }
        }

        /** Renewal 30 days before the end, checked every 12 hours. */
        public Acme(URI directory, String email, Path caFile, int challengePort) {
            this(directory, email, caFile, challengePort, DEFAULT_RENEW_BEFORE, DEFAULT_RENEWAL_CHECK);
        }

        public Acme withRenewal(Duration before, Duration checkEvery) {
            return new Acme(directory, email, caFile, challengePort, before, checkEvery);
        }
    }

    public record Overrides(String host, Integer port, Path dataDir) {
        public static final Overrides NONE = new Overrides(null, null, null);
    }

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
        if (maxRequestBodyBytes <= 0) {
            throw new IllegalArgumentException("max_http_request_size must be positive, not " + maxRequestBodyBytes);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        java.util.Objects.requireNonNull(limits, "limits");
        java.util.Objects.requireNonNull(documentLimits, "documentLimits");
        java.util.Objects.requireNonNull(tls, "tls");
        if (designFunctionMemoryBudget <= 0) {
            throw new IllegalArgumentException("memory_budget must be positive, not " + designFunctionMemoryBudget);
        }
    }

    /** The defaults, with data in {@code dataDir}: what tests start from. */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, dataDir, DEFAULT_MAX_REQUEST_BODY,
                DEFAULT_SHUTDOWN_TIMEOUT, true, Cors.OFF, Limits.DEFAULT,
                DocumentLimits.DEFAULT, Tls.OFF, DEFAULT_DESIGN_FUNCTION_MEMORY_BUDGET);
    }

    public ServerConfig withPort(int value) {
        return new ServerConfig(host, value, dataDir, maxRequestBodyBytes, shutdownTimeout, accessLog, cors, limits, documentLimits, tls, designFunctionMemoryBudget);
    }

    public ServerConfig withMaxRequestBodyBytes(long value) {
        return new ServerConfig(host, port, dataDir, value, shutdownTimeout, accessLog, cors, limits, documentLimits, tls, designFunctionMemoryBudget);
    }

    public ServerConfig withShutdownTimeout(Duration value) {
        return new ServerConfig(host, port, dataDir, maxRequestBodyBytes, value, accessLog, cors, limits, documentLimits, tls, designFunctionMemoryBudget);
    }

    public ServerConfig withAccessLog(boolean value) {
        return new ServerConfig(host, port, dataDir, maxRequestBodyBytes, shutdownTimeout, value, cors, limits, documentLimits, tls, designFunctionMemoryBudget);
    }

    public ServerConfig withCors(Cors value) {
        return new ServerConfig(host, port, dataDir, maxRequestBodyBytes, shutdownTimeout, accessLog, value, limits, documentLimits, tls, designFunctionMemoryBudget);
    }

    public ServerConfig withLimits(Limits value) {
        return new ServerConfig(host, port, dataDir, maxRequestBodyBytes, shutdownTimeout, accessLog, cors, value, documentLimits, tls, designFunctionMemoryBudget);
    }

    public ServerConfig withTls(Tls value) {
        return new ServerConfig(host, port, dataDir, maxRequestBodyBytes, shutdownTimeout, accessLog, cors, limits, documentLimits, value, designFunctionMemoryBudget);
    }

    public ServerConfig withDesignFunctionMemoryBudget(long bytes) {
        return new ServerConfig(host, port, dataDir, maxRequestBodyBytes, shutdownTimeout, accessLog, cors, limits, documentLimits, tls, bytes);
    }

    public ServerConfig withDocumentLimits(DocumentLimits value) {
        return new ServerConfig(host, port, dataDir, maxRequestBodyBytes, shutdownTimeout, accessLog, cors, limits, value, tls, designFunctionMemoryBudget);
    }

    /** Resolves every setting from flags, environment, ini file and defaults, in that order (see the class comment). */
    public static ServerConfig load(Overrides flags, Map<String, String> env) {
        Path dataDir = flags.dataDir() != null ? flags.dataDir()
                : env.get("ARBOR_DATA") != null ? Path.of(env.get("ARBOR_DATA")) : DEFAULT_DATA_DIR;
        IniFile ini = IniFile.read(dataDir.resolve(INI_FILE));
        Settings settings = new Settings(env, ini);

        String host = flags.host() != null ? flags.host() : settings.get("ARBOR_HOST", "httpd", "bind_address",
                Function.identity(), DEFAULT_HOST);
        int port = flags.port() != null ? flags.port() : settings.get("ARBOR_PORT", "httpd", "port",
                Integer::parseInt, DEFAULT_PORT);
        long maxBody = settings.get("ARBOR_MAX_HTTP_REQUEST_SIZE", "httpd", "max_http_request_size",
                Long::parseLong, DEFAULT_MAX_REQUEST_BODY);
        Duration shutdown = settings.get("ARBOR_SHUTDOWN_TIMEOUT", "httpd", "shutdown_timeout",
                s -> Duration.ofSeconds(Long.parseLong(s)), DEFAULT_SHUTDOWN_TIMEOUT);
        boolean accessLog = settings.get("ARBOR_ACCESS_LOG", "httpd", "access_log", ServerConfig::parseBoolean, true);

        Set<String> origins = settings.get("ARBOR_CORS_ORIGINS", "cors", "origins", ServerConfig::parseList, Set.of());
        boolean corsEnabled = env.get("ARBOR_CORS_ORIGINS") != null
                || settings.get(null, "httpd", "enable_cors", ServerConfig::parseBoolean, false);
        boolean credentials = settings.get(null, "cors", "credentials", ServerConfig::parseBoolean, false);
        Cors cors = corsEnabled ? new Cors(true, origins, credentials) : Cors.OFF;
        Limits limits = new Limits(
                settings.get("ARBOR_IDLE_TIMEOUT", "httpd", "idle_timeout",
                        s -> Duration.ofSeconds(Long.parseLong(s)), Limits.DEFAULT.idleTimeout()),
                settings.get(null, "httpd", "max_http_header_size", Integer::parseInt, Limits.DEFAULT.maxHeaderBytes()),
                settings.get("ARBOR_MAX_REQUESTS_PER_CLIENT", "httpd", "max_requests_per_client",
                        Integer::parseInt, Limits.DEFAULT.maxRequestsPerClient()),
                settings.get(null, "httpd", "max_open_changes_feeds", Integer::parseInt, Limits.DEFAULT.maxOpenFeeds()),
                settings.get(null, "httpd", "client_simultaneous_request_limit", Integer::parseInt,
                        Limits.DEFAULT.clientSimultaneousRequestLimit()),
                settings.get(null, "arbor", "request_workers", Integer::parseInt, Limits.DEFAULT.requestWorkers()),
                settings.get(null, "arbor", "client_push_buffer", Long::parseLong, Limits.DEFAULT.clientPushBufferBytes()));
        DocumentLimits documentLimits = new DocumentLimits(
                settings.get(null, "couchdb", "max_document_size", Long::parseLong, DocumentLimits.DEFAULT.maxDocumentSize()),
                settings.get(null, "couchdb", "max_attachment_size", ServerConfig::parseSizeOrInfinity,
                        DocumentLimits.DEFAULT.maxAttachmentSize()));
        URI acmeDirectory = settings.get("ARBOR_ACME_DIRECTORY", "ssl", "acme_directory", URI::create, null);
        Acme acme = acmeDirectory == null ? null : new Acme(acmeDirectory,
                settings.get(null, "ssl", "acme_email", Function.identity(), null),
                settings.get(null, "ssl", "acme_ca_file", Path::of, null),
                settings.get(null, "ssl", "acme_challenge_port", Integer::parseInt, 80));
        Tls tls = new Tls(
                settings.get("ARBOR_TLS", "ssl", "enable", ServerConfig::parseBoolean, false),
                settings.get("ARBOR_TLS_CERT_FILE", "ssl", "cert_file", Path::of, null),
                settings.get("ARBOR_TLS_KEY_FILE", "ssl", "key_file", Path::of, null),
                settings.get("ARBOR_SERVER_NAME", "ssl", "server_name", Function.identity(), Tls.DEFAULT_SERVER_NAME),
                acme);
        long designFunctionMemoryBudget = settings.get(null, "query_server_config", "memory_budget", Long::parseLong,
                DEFAULT_DESIGN_FUNCTION_MEMORY_BUDGET);
        return new ServerConfig(host, port, dataDir, maxBody, shutdown, accessLog, cors, limits, documentLimits, tls,
                designFunctionMemoryBudget);
    }

    /**
     * At-rest encryption of the data directory ({@code [encryption]}): the master key from {@code key_file}
     * ({@code ARBOR_ENCRYPTION_KEY_FILE}; made on first start if missing; never inside the data directory), or derived
     * from the passphrase in {@code ARBOR_ENCRYPTION_PASSPHRASE} (the environment only: the ini file lives in the data
     * directory it would unlock). New databases are sealed under {@code default_key} ({@code default}; {@code none} to
     * encrypt only those named), or under their own key from {@code database_keys} ({@code db:key, db2:key2}).
     *
     * @param keyFile      the master key's file, or null when a passphrase gives it
     * @param passphrase   the passphrase, or null when a key file holds the key
     * @param defaultKey   the key name of new databases, or null for none
     * @param databaseKeys database name → key name
     */
    public record Encryption(Path keyFile, char[] passphrase, String defaultKey, Map<String, String> databaseKeys) {
        public Encryption {
            if ((keyFile == null) == (passphrase == null)) {
                throw new IllegalArgumentException("[encryption] needs key_file (ARBOR_ENCRYPTION_KEY_FILE) or"
                        + " ARBOR_ENCRYPTION_PASSPHRASE, not both");
            }
            databaseKeys = Map.copyOf(databaseKeys);
        }

        @Override
        public String toString() {
            return "Encryption[" + (keyFile != null ? "key file " + keyFile : "passphrase") + ", default key "
                    + defaultKey + ", database keys " + databaseKeys + "]";
        }
    }

    /** The at-rest encryption the environment and the ini file of {@code dataDir} ask for, if any. */
    public static java.util.Optional<Encryption> encryption(Path dataDir, Map<String, String> env) {
        Settings settings = new Settings(env, IniFile.read(dataDir.resolve(INI_FILE)));
        Path keyFile = settings.get("ARBOR_ENCRYPTION_KEY_FILE", "encryption", "key_file", Path::of, null);
        String passphrase = env.get("ARBOR_ENCRYPTION_PASSPHRASE");
        if (keyFile == null && passphrase == null) {
            return java.util.Optional.empty();
        }
        String defaultKey = settings.get("ARBOR_ENCRYPTION_DEFAULT_KEY", "encryption", "default_key",
                Function.identity(), "default");
        Map<String, String> databaseKeys = settings.get(null, "encryption", "database_keys",
                ServerConfig::parsePairs, Map.of());
        return java.util.Optional.of(new Encryption(passphrase != null ? null : keyFile,
                passphrase == null ? null : passphrase.toCharArray(),
                defaultKey.equalsIgnoreCase("none") ? null : defaultKey, databaseKeys));
    }

    /**
     * The UDP port of the Arbor protocol over QUIC ({@code arbor://host:port}), if the environment
     * ({@code ARBOR_QUIC_PORT}) or the ini file of {@code dataDir} ({@code [arbor] quic_port}) asks for one; 0 picks a
     * free port. Off when neither does. Read apart from {@link #load} as {@link #encryption} is, and handed to
     * {@code ArborServer.Builder.quicPort}.
     */
    public static java.util.OptionalInt quicPort(Path dataDir, Map<String, String> env) {
        Settings settings = new Settings(env, IniFile.read(dataDir.resolve(INI_FILE)));
        Integer port = settings.get("ARBOR_QUIC_PORT", "arbor", "quic_port", text -> {
            int value = Integer.parseInt(text);
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("a port is 0..65535");
            }
            return value;
        }, null);
        return port == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(port);
    }

    /** {@code a:b, c:d} as a map. */
    private static Map<String, String> parsePairs(String text) {
        Map<String, String> pairs = new java.util.TreeMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.lastIndexOf(':');
            if (colon <= 0 || colon == pair.strip().length() - 1) {
                throw new IllegalArgumentException("expected database:key pairs separated by commas");
            }
            pairs.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
        }
        return pairs;
    }

    /** A byte count, or CouchDB's {@code infinity}. */
    private static long parseSizeOrInfinity(String text) {
        String value = text.strip();
        return value.equalsIgnoreCase("infinity") ? Long.MAX_VALUE : Long.parseLong(value);
    }

    private static boolean parseBoolean(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    private static Set<String> parseList(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /** Looks a setting up in the environment, then the ini file; a bad value names where it came from. */
    private record Settings(Map<String, String> env, IniFile ini) {
        <T> T get(String envName, String section, String key, Function<String, T> parse, T fallback) {
            String fromEnv = envName == null ? null : env.get(envName);
            if (fromEnv != null) {
                return parse(fromEnv, parse, "environment variable " + envName);
            }
            String fromIni = ini.get(section, key);
            if (fromIni != null) {
                return parse(fromIni, parse, ini.describe(section, key));
            }
            return fallback;
        }

        private static <T> T parse(String text, Function<String, T> parse, String source) {
            try {
                return parse.apply(text.strip());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad value '" + text + "' for " + source
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
            }
        }
    }
}
