package dev.arbor.bench.run;

import dev.arbor.bench.http.HttpServerMain;
import dev.arbor.bench.system.SystemId;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bench server in a JVM of its own ({@link HttpServerMain}: arbor-http, arbor-https or http-bare), forked with the harness's
 * JVM options on a fresh directory, as W10 and W11 run it. Closing it closes the server's standard input, on which
 * the server shuts down cleanly, then makes sure the process is gone.
 */
final class ForkedServer implements AutoCloseable {
    static final Duration STARTUP = Duration.ofSeconds(60);

    /**
     * Where the server listens, the admin to log in as (null when the server has no login), and for HTTPS the PEM
     * file of the server's self-signed certificate, which its clients add to the authorities they trust (null over
     * plain HTTP).
     */
    record Listening(String url, String user, String password, Path certificate) {}

    private final Process process;
    private final Listening listening;

    private ForkedServer(Process process, Listening listening) {
        this.process = process;
        this.listening = listening;
    }

    /** Starts {@code system}'s server with its files and its standard error ({@code stderr.log}) in {@code serverDir}. */
    static ForkedServer start(HarnessConfig config, SystemId system, Path serverDir, List<String> extraOptions) throws IOException {
        Process process = launch(config, system, serverDir, extraOptions);
        try {
            return new ForkedServer(process, awaitListening(process, system, serverDir));
        } catch (RuntimeException e) {
            stop(process);
            throw e;
        }
    }

    static Process launch(HarnessConfig config, SystemId system, Path serverDir) throws IOException {
        return launch(config, system, serverDir, List.of());
    }

    /** {@code extraOptions} go after the harness's JVM options: diagnosis only (an access log), never in a measured run. */
    static Process launch(HarnessConfig config, SystemId system, Path serverDir, List<String> extraOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(config.javaOptions());
        command.addAll(extraOptions);
        command.addAll(List.of("-cp", config.classpath(), HttpServerMain.class.getName(),
                "--system", system.id, "--dir", serverDir.toString()));
        // The JVM keeps the harness's working directory: the classpath may be relative to it.
        return new ProcessBuilder(command).redirectError(serverDir.resolve("stderr.log").toFile()).start();
    }

    /** The forked JVM prints {@code LISTENING <url> [<user> <password> [<certificate file>]]} once it serves. */
    static Listening awaitListening(Process server, SystemId system, Path serverDir) {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l; (l = out.readLine()) != null; ) {
                    if (l.startsWith(HttpServerMain.LISTENING)) {
                        return l.substring(HttpServerMain.LISTENING.length()).strip();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String listening;
        try {
            listening = line.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            listening = null;
        }
        if (listening == null) {
            throw new IllegalStateException(system.id + " did not start: " + Harness.tail(serverDir.resolve("stderr.log")));
        }
        String[] parts = listening.split(" ");
        return new Listening(parts[0], parts.length > 2 ? parts[1] : null, parts.length > 2 ? parts[2] : null,
                parts.length > 3 ? Path.of(parts[3]) : null);
    }

    Listening listening() {
        return listening;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stop(process);
    }

    /** Closes the server's standard input, then makes sure it is gone. */
    static void stop(Process server) {
        try {
            server.getOutputStream().close();
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
}
