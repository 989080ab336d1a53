package dev.arbor.bench.soak;

import dev.arbor.bench.http.HttpServerMain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server soak: an Arbor server in its own JVM ({@link HttpServerMain}, as the W10 benchmark starts it:
 * durable storage, Basic auth) under mixed traffic from many concurrent clients on loopback for a fixed time.
 * Active clients loop over writes and reads of their own documents with a short pause; listeners hold idle
 * longpolls on a database nobody writes to, and continuous {@code _changes} feeds on the busy one. Every
 * non-2xx answer or I/O failure is an error. Every {@code --sample} seconds the server's heap after a full GC is read
 * with {@code jcmd <pid> GC.run} and {@code GC.heap_info} (Arbor has no stats endpoint); at the end the report gives
 * per request kind the count and p50/p99/max latency.
 *
 * <pre>
 * java -cp "arbor-bench/target/arbor-bench-0.1.0-SNAPSHOT.jar:arbor-bench/target/lib/*" dev.arbor.bench.soak.SoakMain \
 *     --seconds 900 --clients 200 --sample 30
 * </pre>
 * Exit status 1 when any request failed.
 */
public final class SoakMain {
    /** Request kinds, each with its own latency figures. */
    public enum Kind { PUT, GET, UPDATE, BULK_DOCS, ALL_DOCS, FIND, VIEW, LONGPOLL, LONGPOLL_HEADERS, CONTINUOUS_CHANGES }

    /** What a run measured. {@code heapAfterGcKib} holds one sample per interval, in order. */
    public record Report(Duration duration, int clients, long requests, long errors, List<String> firstErrors,
                         Map<Kind, long[]> latencyNanos, List<Long> heapAfterGcKib) {

        public String format() {
            StringBuilder out = new StringBuilder();
            out.append(String.format("soak: %d s, %d clients, %,d requests, %d errors%n", duration.toSeconds(), clients,
                    requests, errors));
            out.append(String.format("%-20s %10s %10s %10s %10s%n", "kind", "count", "p50 ms", "p99 ms", "max ms"));
            for (Map.Entry<Kind, long[]> e : latencyNanos.entrySet()) {
                long[] sorted = e.getValue();
                if (sorted.length == 0) {
                    continue;
                }
                out.append(String.format("%-20s %,10d %10.2f %10.2f %10.2f%n", e.getKey(), sorted.length,
                        sorted[(int) (sorted.length * 0.50)] / 1e6, sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6,
                        sorted[sorted.length - 1] / 1e6));
            }
            out.append("heap after GC (KiB), one sample per interval: ").append(heapAfterGcKib).append('\n');
            firstErrors.forEach(e -> out.append("error: ").append(e).append('\n'));
            return out.toString();
        }
    }

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final int LONGPOLL_LISTENERS_PERCENT = 15;
    private static final int CONTINUOUS_LISTENERS_PERCENT = 5;

    private final Duration duration;
    private final int clients;
    private final Duration sampleEvery;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
    private final Map<Kind, ConcurrentLinkedQueue<long[]>> samples = new EnumMap<>(Kind.class);
    private URI base;
    private String authorization;
    private HttpClient http;
    private volatile boolean running = true;
    /**
     * With it the server logs every request with its duration as it measured it (handler start to end), and the run
     * prints the idle longpolls' server-side figures next to the clients' (see docs/reliability.md, "Longpoll
     * deadlines under load"). Off by default: the log would load the disk the soak measures.
     */
    private boolean serverAccessLog;

    public SoakMain(Duration duration, int clients, Duration sampleEvery) {
        this.duration = duration;
        this.clients = clients;
        this.sampleEvery = sampleEvery;
        for (Kind kind : Kind.values()) {
            samples.put(kind, new ConcurrentLinkedQueue<>());
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = 900;
        int clients = 200;
        int sample = 30;
        boolean accessLog = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--access-log")) {
                accessLog = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: SoakMain [--seconds N] [--clients N] [--sample N] [--access-log]");
            }
            switch (args[i++]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i]);
                case "--clients" -> clients = Integer.parseInt(args[i]);
                case "--sample" -> sample = Integer.parseInt(args[i]);
                default -> throw new IllegalArgumentException("usage: SoakMain [--seconds N] [--clients N] [--sample N] [--access-log]");
            }
        }
        SoakMain soak = new SoakMain(Duration.ofSeconds(seconds), clients, Duration.ofSeconds(sample));
        soak.serverAccessLog = accessLog;
        Report report = soak.run(System.getProperty("java.class.path"));
        System.out.print(report.format());
        System.exit(report.errors() == 0 ? 0 : 1);
    }

    /** Starts the server JVM with {@code classpath}, runs the traffic, stops the server and reports. */
    public Report run(String classpath) throws Exception {
        Path dir = Files.createTempDirectory("arbor-soak");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-D" + HttpServerMain.ACCESS_LOG_PROPERTY + "=" + serverAccessLog, "-cp", classpath,
                HttpServerMain.class.getName(), "--system", "arbor-http", "--dir", dir.resolve("server").toString())
                .redirectError(dir.resolve("server.err").toFile()).start();
        try {
            String[] listening = awaitListening(server);
            base = URI.create(listening[0].endsWith("/") ? listening[0] : listening[0] + "/");
            authorization = "Basic " + Base64.getEncoder().encodeToString((listening[1] + ":" + listening[2])
                    .getBytes(StandardCharsets.UTF_8));
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            setUp();
            return drive(server.pid());
        } finally {
            server.getOutputStream().close(); // HttpServerMain serves until its standard input closes
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            if (serverAccessLog) {
                System.out.print(serverSideLongpolls(dir.resolve("server.err")));
            }
        }
    }

    private static final Pattern ACCESS_MILLIS = Pattern.compile("path=/idle/_changes\\S* status=(\\d+) .*ms=([0-9.]+)");

    /** The idle longpolls' durations as the server's access log has them: p50, p99, max in ms. */
    private static String serverSideLongpolls(Path serverErr) throws IOException {
        List<Double> millis = new ArrayList<>();
        for (String line : Files.readAllLines(serverErr)) {
            Matcher m = ACCESS_MILLIS.matcher(line);
            if (m.find()) {
                millis.add(Double.parseDouble(m.group(2)));
            }
        }
        if (millis.isEmpty()) {
            return "server-side LONGPOLL: no access-log lines\n";
        }
        millis.sort(null);
        return String.format("server-side LONGPOLL (access log): %,d, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                millis.size(), millis.get(millis.size() / 2), millis.get(Math.min(millis.size() - 1, (int) (millis.size() * 0.99))),
                millis.get(millis.size() - 1));
    }

    private static String[] awaitListening(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(HttpServerMain.LISTENING)) {
                return line.substring(HttpServerMain.LISTENING.length()).strip().split(" ");
            }
        }
        throw new IOException("the server exited before listening");
    }

    private void setUp() throws Exception {
        expect2xx(send("PUT", "soak", null));
        expect2xx(send("PUT", "idle", null));
        expect2xx(send("PUT", "soak/_design/soak", "{\"views\":{\"by_client\":{\"map\":"
                + "\"function (doc) { if (doc.client !== undefined) { emit(doc.client, doc.n); } }\",\"reduce\":\"_sum\"}}}"));
        expect2xx(send("POST", "soak/_index", "{\"index\":{\"fields\":[\"client\",\"n\"]},\"ddoc\":\"soak-mango\",\"name\":\"by-client\"}"));
    }

    private Report drive(long serverPid) throws Exception {
        List<Thread> threads = new ArrayList<>();
        int longpolls = clients * LONGPOLL_LISTENERS_PERCENT / 100;
        int continuous = Math.max(1, clients * CONTINUOUS_LISTENERS_PERCENT / 100);
        for (int c = 0; c < clients; c++) {
            int client = c;
            Runnable body = c < longpolls ? this::idleLongpolls : c < longpolls + continuous ? this::continuousChanges
                    : () -> activeClient(client);
            threads.add(Thread.ofVirtual().name("soak-" + c).start(body));
        }
        List<Long> heap = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(sampleEvery.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            heap.add(heapAfterGcKib(serverPid));
        }
        running = false;
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(70));
        }
        Map<Kind, long[]> latencies = new EnumMap<>(Kind.class);
        samples.forEach((kind, chunks) -> {
            long[] all = chunks.stream().flatMapToLong(Arrays::stream).toArray();
            Arrays.sort(all);
            latencies.put(kind, all);
        });
        return new Report(duration, clients, requests.get(), errors.get(), List.copyOf(firstErrors), latencies, heap);
    }

    /** A client that writes and reads its own documents, pausing 5–25 ms between requests. */
    private void activeClient(int client) {
        Random random = new Random(client);
        Latencies mine = new Latencies();
        List<String[]> docs = new ArrayList<>(); // id, rev
        int n = 0;
        try {
            while (running) {
                int pick = random.nextInt(100);
                String id = "c" + client + "-" + n++;
                if (pick < 20 || docs.isEmpty()) {
                    String rev = timed(mine, Kind.PUT, "PUT", "soak/" + id, "{\"client\":" + client + ",\"n\":" + n + "}")
                            .path("rev").asText(null);
                    if (rev != null) {
                        remember(docs, id, rev);
                    }
                } else if (pick < 45) {
                    timed(mine, Kind.GET, "GET", "soak/" + docs.get(random.nextInt(docs.size()))[0], null);
                } else if (pick < 60) {
                    String[] doc = docs.get(random.nextInt(docs.size()));
                    String rev = timed(mine, Kind.UPDATE, "PUT", "soak/" + doc[0] + "?rev=" + doc[1],
                            "{\"client\":" + client + ",\"n\":" + n + "}").path("rev").asText(null);
                    if (rev != null) {
                        doc[1] = rev;
                    }
                } else if (pick < 70) {
                    StringBuilder body = new StringBuilder("{\"docs\":[");
                    for (int k = 0; k < 10; k++) {
                        body.append(k == 0 ? "" : ",").append("{\"client\":").append(client).append(",\"n\":").append(n + k).append('}');
                    }
                    timed(mine, Kind.BULK_DOCS, "POST", "soak/_bulk_docs", body.append("]}").toString());
                } else if (pick < 80) {
                    timed(mine, Kind.ALL_DOCS, "GET", "soak/_all_docs?limit=20&startkey=%22c" + client + "-%22", null);
                } else if (pick < 90) {
                    timed(mine, Kind.FIND, "POST", "soak/_find", "{\"selector\":{\"client\":" + client
                            + ",\"n\":{\"$gt\":" + random.nextInt(Math.max(1, n)) + "}},\"limit\":10}");
                } else {
                    timed(mine, Kind.VIEW, "GET", "soak/_design/soak/_view/by_client?key=" + client, null);
                }
                Thread.sleep(5 + random.nextInt(21));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            mine.flushTo(samples);
        }
    }

    private static void remember(List<String[]> docs, String id, String rev) {
        if (docs.size() < 200) {
            docs.add(new String[] {id, rev});
        }
    }

    /**
     * Longpolls on a database nobody writes to: each parks on the server until its 10 s timeout. The server sends
     * its headers (and a newline) when it starts waiting, so {@link Kind#LONGPOLL_HEADERS} is the time to get there
     * (queueing, routing, the first read) and {@link Kind#LONGPOLL} the whole request.
     */
    private void idleLongpolls() {
        Latencies mine = new Latencies();
        try {
            while (running) {
                long start = System.nanoTime();
                try {
                    HttpResponse<InputStream> response = http.send(
                            request("GET", "idle/_changes?feed=longpoll&since=now&timeout=10000", null),
                            HttpResponse.BodyHandlers.ofInputStream());
                    mine.add(Kind.LONGPOLL_HEADERS, System.nanoTime() - start);
                    byte[] body;
                    try (InputStream in = response.body()) {
                        body = in.readAllBytes();
                    }
                    mine.add(Kind.LONGPOLL, System.nanoTime() - start);
                    requests.incrementAndGet();
                    if (response.statusCode() != 200) {
                        error("LONGPOLL: " + response.statusCode() + " " + new String(body, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    requests.incrementAndGet();
                    error("LONGPOLL: " + e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            mine.flushTo(samples);
        }
    }

    /**
     * A continuous feed on the busy database, read line by line (latency = time to headers). With a heartbeat the
     * server ignores {@code timeout}, as CouchDB does, so in practice each listener holds one feed for the whole run.
     */
    private void continuousChanges() {
        Latencies mine = new Latencies();
        try {
            while (running) {
                long start = System.nanoTime();
                HttpRequest request = request("GET", "soak/_changes?feed=continuous&since=now&heartbeat=5000&timeout=20000", null);
                try {
                    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    mine.add(Kind.CONTINUOUS_CHANGES, System.nanoTime() - start);
                    requests.incrementAndGet();
                    if (response.statusCode() / 100 != 2) {
                        error("continuous _changes: " + response.statusCode());
                    }
                    try (InputStream body = response.body()) {
                        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                        while (running && lines.readLine() != null) {
                            // consume: each line is a change, a heartbeat, or the final last_seq
                        }
                    }
                } catch (IOException e) {
                    error("continuous _changes: " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            mine.flushTo(samples);
        }
    }

    private com.fasterxml.jackson.databind.JsonNode timed(Latencies mine, Kind kind, String method, String path, String json) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request(method, path, json), HttpResponse.BodyHandlers.ofString());
            mine.add(kind, System.nanoTime() - start);
            requests.incrementAndGet();
            if (response.statusCode() / 100 != 2) {
                error(kind + " " + method + " " + path + ": " + response.statusCode() + " " + response.body());
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            return dev.arbor.core.json.Json.parse(response.body());
        } catch (IOException e) {
            requests.incrementAndGet();
            error(kind + " " + method + " " + path + ": " + e);
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return http.send(request(method, path, json), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String json) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization);
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static void expect2xx(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("set-up failed: " + response.statusCode() + " " + response.body());
        }
    }

    private void error(String what) {
        if (errors.incrementAndGet() <= 20) {
            firstErrors.add(what);
        }
    }

    /** Heap in use right after a full GC of the server, from {@code jcmd}; -1 when jcmd cannot attach. */
    private static long heapAfterGcKib(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            run(jcmd, Long.toString(pid), "GC.run");
            Matcher used = HEAP_USED.matcher(run(jcmd, Long.toString(pid), "GC.heap_info"));
            return used.find() ? Long.parseLong(used.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return output;
    }

    /** One client's latencies, kept on its own thread and handed over once at its end (no contention per request). */
    private static final class Latencies {
        private final Map<Kind, long[]> values = new EnumMap<>(Kind.class);
        private final Map<Kind, Integer> sizes = new EnumMap<>(Kind.class);

        void add(Kind kind, long nanos) {
            long[] array = values.computeIfAbsent(kind, k -> new long[256]);
            int size = sizes.getOrDefault(kind, 0);
            if (size == array.length) {
                array = Arrays.copyOf(array, size * 2);
                values.put(kind, array);
            }
            array[size] = nanos;
            sizes.put(kind, size + 1);
        }

        void flushTo(Map<Kind, ConcurrentLinkedQueue<long[]>> target) {
            values.forEach((kind, array) -> target.get(kind).add(Arrays.copyOf(array, sizes.get(kind))));
        }
    }
}
