package dev.arbor.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code ./arbor example NAME}: runs one example in a fresh temporary directory, removed afterwards.
 * Without a name, lists them.
 */
public final class ExampleMain {
    private static final Map<String, Example> EXAMPLES = new TreeMap<>(Map.ofEntries(
            Map.entry("basic-server", new BasicServer()),
            Map.entry("custom-api", new CustomApi()),
            Map.entry("kv-counter", new KvCounter()),
            Map.entry("pubsub-chat", new PubSubChat()),
            Map.entry("kv-bench", new KeyValueBenchmark()),
            Map.entry("unique-views", new UniqueViews()),
            Map.entry("primary-keys", new PrimaryKeys()),
            Map.entry("natural-ids", new NaturalIds()),
            Map.entry("transactions", new Transactions()),
            Map.entry("blog-posts", new BlogPosts())));

    private ExampleMain() {}

    /**
     * The client/server examples start a server in process: Jetty's INFO lines (banner, connector) would bury their
     * output, so only its warnings show, as under {@code serve}. Held in a field: java.util.logging keeps loggers weakly.
     */
    private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");

    public static void main(String[] args) throws Exception {
        JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
        if (args.length != 1 || !EXAMPLES.containsKey(args[0])) {
            boolean asked = args.length == 0 || List.of("-h", "--help").contains(args[0]);
            (asked ? System.out : System.err).println("usage: ./arbor example NAME, where NAME is one of: "
                    + String.join(", ", EXAMPLES.keySet()));
            System.exit(asked ? 0 : 2);
        }
        Path dir = Files.createTempDirectory("arbor-example-");
        try {
            EXAMPLES.get(args[0]).run(dir);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
