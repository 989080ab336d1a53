package dev.arbor.bench.run;

import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One W10 measurement: starts the server under test on 127.0.0.1 in a process of its own (a forked
 * JVM for arbor-http, arbor-https and http-bare, Node for pouchdb-server) on a fresh directory, runs the W10 Node
 * client (w10.js: the same client for every server) against it, and stops the server.
 *
 * <p>Against arbor-https the client's Node trusts the server's self-signed certificate as an extra authority
 * ({@code NODE_EXTRA_CA_CERTS}): its own requests (the PUTs, {@code _bulk_docs}, PouchDB's pull) verify the chain and
 * the address and fail without it. The GET load generators do not reject an unverified server whatever they are
 * given (autocannon passes {@code rejectUnauthorized: false} to every connection; wrk has no verification), so
 * their figures rely on the client's own requests having verified that same server; verifying is once per
 * connection, and the 32 GET connections are kept alive through the phase.
 */
final class HttpMeasurement {
    private static final Duration STARTUP = ForkedServer.STARTUP;
    private static final List<Workload> W10 = List.of(Workload.W10);

    private final HarnessConfig config;
    private final SystemId system;
    private final Path work;
    private final Path log;

    HttpMeasurement(HarnessConfig config, SystemId system, Path work, Path log) {
        this.config = config;
        this.system = system;
        this.work = work;
        this.log = log;
    }

    private record Listening(String url, String user, String password, Path certificate) {}

    List<Measurement> measure(Path data, Path warmup) throws IOException {
        Path install = PouchDbInstall.ensure(config.cacheDir());
        Path serverDir = Files.createDirectories(work.resolve("server"));
        Process server = null;
        try {
            int port = freeLoopbackPort();
            server = startServer(install, serverDir, port);
            Listening listening = system == SystemId.POUCHDB_SERVER ? awaitPouchDbServer(server, serverDir, port)
                    : jvmServer(ForkedServer.awaitListening(server, system, serverDir));
            return runClient(install, listening, data, warmup);
        } finally {
            if (server != null) {
                stop(server);
            }
        }
    }

    /** {@code port} is for pouchdb-server, which cannot report a port it chose; the JVM servers bind any free port themselves. */
    private Process startServer(Path install, Path serverDir, int port) throws IOException {
        if (system != SystemId.POUCHDB_SERVER) {
            return ForkedServer.launch(config, system, serverDir);
        }
        List<String> command = List.of("node", install.resolve("node_modules/pouchdb-server/bin/pouchdb-server").toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--dir", serverDir.toString(), "--no-stdout-logs");
        // pouchdb-server writes its config.json and log.txt into its working directory.
        return new ProcessBuilder(command).directory(serverDir.toFile()).redirectOutput(serverDir.resolve("stdout.log").toFile())
                .redirectError(serverDir.resolve("stderr.log").toFile()).start();
    }

    private static Listening jvmServer(ForkedServer.Listening l) {
        return new Listening(l.url(), l.user(), l.password(), l.certificate());
    }

    private Listening awaitPouchDbServer(Process server, Path serverDir, int port) {
        String url = "http://127.0.0.1:" + port;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("pouchdb-server exited " + server.exitValue() + ": " + Harness.tail(serverDir.resolve("stderr.log")));
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new Listening(url, null, null, null);
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(100);
        }
        throw new IllegalStateException("pouchdb-server did not answer GET / within " + STARTUP);
    }

    private List<Measurement> runClient(Path install, Listening server, Path data, Path warmup) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", "--max-old-space-size=4096", install.resolve("w10.js").toString(),
                "--url", server.url(), "--system", system.id, "--data", data.toString(), "--warmup-data", warmup.toString(),
                "--work", work.resolve("client").toString(), "--get-seconds", String.valueOf(config.getPhase().toSeconds())));
        if (server.user() != null) {
            command.addAll(List.of("--user", server.user(), "--password", server.password()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        if (server.certificate() != null) {
            builder.environment().put("NODE_EXTRA_CA_CERTS", server.certificate().toString());
        }
        Process client = builder.start();
        List<Measurement> out = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                ResultProtocol.decode(line).ifPresent(out::add);
            }
            if (!client.waitFor(config.timeoutPerMeasurement().toSeconds(), TimeUnit.SECONDS)) {
                client.destroyForcibly();
                return Harness.everyMetric(W10, Status.FAILED, "timed out after " + config.timeoutPerMeasurement());
            }
        } catch (InterruptedException e) {
            client.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (client.exitValue() != 0) {
            return Harness.everyMetric(W10, Status.FAILED, "w10.js exited " + client.exitValue() + ": " + Harness.tail(log));
        }
        return out;
    }

    /** Closes the server's standard input (HttpServerMain then shuts down cleanly; pouchdb-server is terminated), then makes sure it is gone. */
    private void stop(Process server) {
        try {
            server.getOutputStream().close();
            if (system == SystemId.POUCHDB_SERVER) {
                server.destroy();
            }
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException ignored) {
            server.destroyForcibly();
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
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
}
