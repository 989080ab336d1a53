package dev.arbor.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.bench.data.WorkloadData;
import dev.arbor.bench.http.HttpServerMain;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.ReplicationDirection;
import dev.arbor.bench.workload.ReplicationDirection.Peer;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.CouchDbPeer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One W11 measurement: a real Apache CouchDB 3.5 ({@link CouchDbPeer}, on a fresh directory) and Arbor's server as W10
 * runs it (a forked JVM, durable RocksDB), both on 127.0.0.1. The N docs are loaded into a source database on each
 * (1,000 per {@code _bulk_docs}, before any clock); then for each {@link ReplicationDirection} a fresh, empty target
 * database is created and one one-shot {@code POST /_replicate} goes to the replicating server, timed from the POST
 * until its answer (a one-shot replication answers once it is done). The figure counts the docs the target holds
 * afterwards, so a replication that stops short is reported failed, not fast.
 *
 * <p>Beside each rate, what bounds it: the CPU time CouchDB's VM (beam.smp) and Arbor's JVM spent during the
 * replication per 1,000 docs, how busy the whole machine was (from /proc/stat), and the HTTP requests CouchDB counted;
 * the profile log ({@code w11-profile.log} in the work directory) has the same per replication with the answers. A direction that fails is reported failed with CouchDB's or Arbor's answer; the others still run.
 *
 * <p>As every system of the harness, both servers first run the whole pass on the warm-up data set (so Arbor's JIT
 * has compiled the replication paths), unless the warm-up set is the data set itself, as with {@code --quick}.
 */
final class CouchDbReplication {
    static final List<Workload> W11 = List.of(Workload.W11);
    /**
     * Set to true on the harness's JVM ({@code -Darbor.bench.w11AccessLog=true}) to start Arbor's server with its access
     * log and write Arbor's requests per endpoint into the profile log: for finding what bounds a direction, not for
     * figures (the log costs the server time).
     */
    static final String ACCESS_LOG_PROPERTY = "arbor.bench.w11AccessLog";
    private static final int BULK = 1000;

    private final HarnessConfig config;
    private final Path work;
    private final Path profileLog;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    CouchDbReplication(HarnessConfig config, Path work, Path profileLog) {
        this.config = config;
        this.work = work;
        this.profileLog = profileLog;
    }

    /** Every W11 figure reported not applicable, with why: what a clone without the CouchDB peer reports. */
    static List<Measurement> peerAbsent() {
        return Harness.everyMetric(W11, Status.NOT_APPLICABLE,
                "no CouchDB peer here (../shared/peers/couchdb beside the project is absent, as in a user's clone)");
    }

    List<Measurement> measure(Path data, Path warmup) throws IOException {
        if (!CouchDbPeer.available()) {
            return peerAbsent();
        }
        WorkloadData timed = WorkloadData.read(data);
        boolean accessLog = Boolean.getBoolean(ACCESS_LOG_PROPERTY);
        Path arborDir = Files.createDirectories(work.resolve("arbor"));
        long start = System.nanoTime();
        // Both servers start at once, and the sources load at once: none of it is timed, and --quick must stay quick.
        CompletableFuture<ForkedServer> arborStarting = CompletableFuture.supplyAsync(() -> startArbor(arborDir, accessLog));
        CouchDbPeer started;
        try {
            started = CouchDbPeer.start(work.resolve("couchdb"));
        } catch (RuntimeException e) {
            arborStarting.thenAccept(ForkedServer::close);
            throw e;
        }
        try (CouchDbPeer couch = started; ForkedServer arbor = arborStarting.join()) {
            Servers servers = new Servers(couch, arbor, accessLog ? new ArborRequestLog(arborDir.resolve("stderr.log")) : null);
            note("servers up in %.1f s", (System.nanoTime() - start) / 1e9);
            if (!warmup.equals(data)) {
                pass(servers, WorkloadData.read(warmup).docs(), "warmup");
            }
            return pass(servers, timed.docs(), "timed");
        }
    }

    private ForkedServer startArbor(Path dir, boolean accessLog) {
        try {
            return ForkedServer.start(config, SystemId.ARBOR_HTTP, dir,
                    accessLog ? List.of("-D" + HttpServerMain.ACCESS_LOG_PROPERTY + "=true") : List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The two servers, their base URLs with credentials (as a replication names them) and their processes. */
    private record Servers(CouchDbPeer couch, ForkedServer arbor, ArborRequestLog arborLog) {
        String base(Peer peer) {
            if (peer == Peer.COUCHDB) {
                return couch.adminUrl() + "/";
            }
            ForkedServer.Listening l = arbor.listening();
            return l.url().replaceFirst("://", "://" + l.user() + ":" + l.password() + "@");
        }

        String plainBase(Peer peer) {
            return peer == Peer.COUCHDB ? couch.url() + "/" : arbor.listening().url();
        }

        String authorization(Peer peer) {
            String credentials = peer == Peer.COUCHDB ? CouchDbPeer.ADMIN + ":" + CouchDbPeer.PASSWORD
                    : arbor.listening().user() + ":" + arbor.listening().password();
            return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        }

        long couchPid() {
            try {
                return Long.parseLong(Files.readString(couch.dir().resolve("couchdb.pid")).strip());
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
        }
    }

    private List<Measurement> pass(Servers servers, List<String> docs, String prefix) {
        String source = prefix + "-source";
        List<Measurement> out = new ArrayList<>();
        try {
            long start = System.nanoTime();
            CompletableFuture<Void> arborLoaded = CompletableFuture.runAsync(() -> load(servers, Peer.ARBOR, source, docs));
            load(servers, Peer.COUCHDB, source, docs);
            arborLoaded.join();
            note("%s: %d docs loaded into both sources in %.1f s", prefix, docs.size(), (System.nanoTime() - start) / 1e9);
        } catch (java.util.concurrent.CompletionException e) {
            return Harness.everyMetric(W11, Status.FAILED, "loading the source databases failed: " + e.getCause().getMessage());
        } catch (RuntimeException e) {
            return Harness.everyMetric(W11, Status.FAILED, "loading the source databases failed: " + e.getMessage());
        }
        for (ReplicationDirection direction : ReplicationDirection.values()) {
            out.addAll(replicate(servers, direction, source, prefix + "-" + direction.slug, docs.size()));
        }
        return out;
    }

    private void load(Servers servers, Peer peer, String db, List<String> docs) {
        require(servers, peer, "PUT", db, null, 201);
        for (int from = 0; from < docs.size(); from += BULK) {
            String body = "{\"docs\":[" + String.join(",", docs.subList(from, Math.min(docs.size(), from + BULK))) + "]}";
            HttpResponse<String> r = send(servers, peer, "POST", db + "/_bulk_docs", body);
            if (r.statusCode() != 201 || r.body().contains("\"error\"")) {
                throw new IllegalStateException(peer.label + " _bulk_docs answered " + r.statusCode() + " " + shorten(r.body()));
            }
        }
        long count = docCount(servers, peer, db);
        if (count != docs.size()) {
            throw new IllegalStateException(peer.label + " source holds " + count + " docs after loading " + docs.size());
        }
    }

    /** One timed replication into a fresh target, with its profile; every figure of the direction failed if it fails. */
    private List<Measurement> replicate(Servers servers, ReplicationDirection d, String source, String target, int docs) {
        try {
            require(servers, d.target, "PUT", target, null, 201);
            String body = Json.text(Json.object().put("source", endpoint(servers, d, d.source, source))
                    .put("target", endpoint(servers, d, d.target, target)));
            long couchRequestsBefore = couchRequests(servers);
            if (servers.arborLog() != null) {
                servers.arborLog().mark();
            }
            CpuClock.Sample before = CpuClock.sample(servers.couchPid(), servers.arbor().pid());
            HttpResponse<String> answer = send(servers, d.replicator, "POST", "_replicate", body);
            CpuClock.Sample after = CpuClock.sample(servers.couchPid(), servers.arbor().pid());
            // The counter counts the GET that reads it: the second read sees the first.
            long couchRequests = couchRequests(servers) - couchRequestsBefore - 1;
            double seconds = (after.nanos() - before.nanos()) / 1e9;
            profile(d, target, seconds, answer, before, after, couchRequests);
            if (servers.arborLog() != null) {
                // The server logs a request once it has answered it: give the last line a moment.
                sleep(300);
                note("  %s", servers.arborLog().sinceMark());
            }
            if (answer.statusCode() != 200 || !Json.parse(answer.body()).path("ok").asBoolean(false)) {
                return failed(d, d.replicator.label + "'s _replicate answered " + answer.statusCode() + " " + shorten(answer.body()));
            }
            long written = docCount(servers, d.target, target);
            List<Measurement> out = new ArrayList<>(List.of(Measurement.ok(d.rate, docs / seconds, written)));
            out.add(cpuPerThousandDocs(d.couchDbCpu, before.couchCpuNanos(), after.couchCpuNanos(), docs));
            out.add(cpuPerThousandDocs(d.arborCpu, before.arborCpuNanos(), after.arborCpuNanos(), docs));
            out.add(after.machineBusyNanos() < 0 || before.machineBusyNanos() < 0
                    ? Measurement.missing(d.machineCpu, Status.NOT_APPLICABLE, "no /proc/stat on this machine")
                    : Measurement.ok(d.machineCpu, (after.machineBusyNanos() - before.machineBusyNanos()) / 1e9 / seconds
                            / Runtime.getRuntime().availableProcessors() * 100, null));
            out.add(Measurement.ok(d.couchDbRequests, couchRequests * 1000.0 / docs, null));
            return out;
        } catch (RuntimeException e) {
            return failed(d, d.label() + " failed: " + e.getMessage());
        }
    }

    /** CouchDB 3 names both ends by URL; Arbor's replicator names its own database by name, as an application would. */
    private static String endpoint(Servers servers, ReplicationDirection d, Peer peer, String db) {
        return d.replicator == Peer.ARBOR && peer == Peer.ARBOR ? db : servers.base(peer) + db;
    }

    private static Measurement cpuPerThousandDocs(Metric metric, long beforeNanos, long afterNanos, int docs) {
        if (beforeNanos < 0 || afterNanos < 0) {
            return Measurement.missing(metric, Status.NOT_APPLICABLE, "the process's CPU time is not readable here");
        }
        return Measurement.ok(metric, (afterNanos - beforeNanos) / 1e6 * 1000 / docs, null);
    }

    private static List<Measurement> failed(ReplicationDirection d, String note) {
        List<Measurement> out = new ArrayList<>();
        out.add(Measurement.missing(d.rate, Status.FAILED, note));
        d.profile().forEach(m -> out.add(Measurement.missing(m, Status.FAILED, "the replication failed")));
        return out;
    }

    /** A line per replication in the profile log: what each side spent and what the replicator answered. */
    private void profile(ReplicationDirection d, String target, double seconds, HttpResponse<String> answer,
                         CpuClock.Sample before, CpuClock.Sample after, long couchRequests) {
        String line = String.format(java.util.Locale.ROOT,
                "%s %-28s %7.2f s  couchdb cpu %6.2f s  arbor cpu %6.2f s  machine busy %6.2f s  "
                        + "run-queue wait (thread-seconds) couchdb %7.2f arbor %7.2f  couchdb requests %d  answer %d %s%n",
                target, d.name(), seconds, (after.couchCpuNanos() - before.couchCpuNanos()) / 1e9,
                (after.arborCpuNanos() - before.arborCpuNanos()) / 1e9,
                (after.machineBusyNanos() - before.machineBusyNanos()) / 1e9,
                after.couchRunQueueSecondsSince(before), after.arborRunQueueSecondsSince(before), couchRequests, answer.statusCode(),
                shorten(answer.body()));
        note("%s", line.stripTrailing());
    }

    private void note(String format, Object... args) {
        try {
            Files.writeString(profileLog, String.format(java.util.Locale.ROOT, format, args) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private long couchRequests(Servers servers) {
        HttpResponse<String> r = send(servers, Peer.COUCHDB, "GET", "_node/_local/_stats/couchdb/httpd/requests", null);
        return Json.parse(r.body()).path("value").asLong(-1);
    }

    private long docCount(Servers servers, Peer peer, String db) {
        HttpResponse<String> r = send(servers, peer, "GET", db, null);
        JsonNode info = Json.parse(r.body());
        if (r.statusCode() != 200 || !info.path("doc_count").isNumber()) {
            throw new IllegalStateException(peer.label + " GET /" + db + " answered " + r.statusCode() + " " + shorten(r.body()));
        }
        return info.path("doc_count").asLong();
    }

    private void require(Servers servers, Peer peer, String method, String path, String body, int status) {
        HttpResponse<String> r = send(servers, peer, method, path, body);
        if (r.statusCode() != status) {
            throw new IllegalStateException(peer.label + " " + method + " /" + path + " answered " + r.statusCode() + " " + shorten(r.body()));
        }
    }

    private HttpResponse<String> send(Servers servers, Peer peer, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(servers.plainBase(peer) + path))
                .timeout(config.timeoutPerMeasurement())
                .header("Authorization", servers.authorization(peer))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(peer.label + " " + method + " /" + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String shorten(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= 400 ? oneLine : oneLine.substring(0, 399) + "…";
    }
}
