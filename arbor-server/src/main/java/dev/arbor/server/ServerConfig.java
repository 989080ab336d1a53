package dev.arbor.server;

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
 *       and Arbor's {@code shutdown_timeout} (seconds) and {@code access_log}; section {@code [cors]} with
 *       {@code origins} (comma-separated, {@code *} for any) and {@code credentials};</li>
 *   <li>the defaults: 127.0.0.1, port 5984, {@code ./arbor-data}, 64 MiB, 30 s, access log on, CORS off.</li>
 * </ol>
 * The data directory itself comes from flags, then environment, then the default, since the ini file lives in it.
 *
 * @param port                0 asks the system for a free port (tests)
 * @param maxRequestBodyBytes a request body over this is refused with 413 {@code too_large}
 * @param shutdownTimeout     how long a graceful stop waits for in-flight requests
 */
public record ServerConfig(String host, int port, Path dataDir, long maxRequestBodyBytes, Duration shutdownTimeout,
                           boolean accessLog, Cors cors) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5984;
    public static final Path DEFAULT_DATA_DIR = Path.of("arbor-data");
    public static final long DEFAULT_MAX_REQUEST_BODY = 64L * 1024 * 1024;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final String INI_FILE = "arbor.ini";

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

    /** Values given on the command line; null means not given. */
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
    }

    /** The defaults, with data in {@code dataDir}: what tests start from. */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, dataDir, DEFAULT_MAX_REQUEST_BODY,
                DEFAULT_SHUTDOWN_TIMEOUT, true, Cors.OFF);
    }

    public ServerConfig withPort(int value) {
        return new ServerConfig(host, value, dataDir, maxRequestBodyBytes, shutdownTimeout, accessLog, cors);
    }

    public ServerConfig withMaxRequestBodyBytes(long value) {
        return new ServerConfig(host, port, dataDir, value, shutdownTimeout, accessLog, cors);
    }

    public ServerConfig withShutdownTimeout(Duration value) {
        return new ServerConfig(host, port, dataDir, maxRequestBodyBytes, value, accessLog, cors);
    }

    public ServerConfig withAccessLog(boolean value) {
        return new ServerConfig(host, port, dataDir, maxRequestBodyBytes, shutdownTimeout, value, cors);
    }

    public ServerConfig withCors(Cors value) {
        return new ServerConfig(host, port, dataDir, maxRequestBodyBytes, shutdownTimeout, accessLog, value);
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
        return new ServerConfig(host, port, dataDir, maxBody, shutdown, accessLog, cors);
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
