package dev.arbor.bench.network;

import dev.arbor.bench.workload.NotApplicable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis anchor's server: Debian's {@code redis-server} on 127.0.0.1, on a free port, in a fresh directory, started
 * here and stopped on {@link #close}. Its configuration is the command line only (no config file): no persistence
 * ({@code --save ''}, {@code --appendonly no}), so it is compared with Arbor's lazy key-value persistence, which keeps
 * more; everything else is Redis's default (one I/O thread, no password; protected mode stays on, which allows
 * loopback).
 */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Where {@code redis-server} is on the PATH; {@link NotApplicable} when it is not installed. */
    static Path executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new NotApplicable("redis-server is not installed (Debian: apt-get install redis-server)");
    }

    /** The command line the anchor runs with, which the report describes. */
    static List<String> command(Path executable, int port, Path dir) {
        return List.of(executable.toString(), "--bind", "127.0.0.1", "--port", String.valueOf(port), "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--logfile", "");
    }

    /** Starts it with its files and log in {@code dir} and waits until it answers PING. */
    public static RedisServer start(Path dir) throws IOException {
        Path executable = executable();
        Files.createDirectories(dir);
        int port = freeLoopbackPort();
        Process process = new ProcessBuilder(command(executable, port, dir))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServer server = new RedisServer(process, port);
        try {
            server.awaitPong();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public long pid() {
        return process.pid();
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    private void awaitPong() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited " + process.exitValue() + " at start");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] answer = in.readNBytes(7);
                if (new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        throw new IOException("redis-server did not answer PING on port " + port + " within 30 s");
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM (with no persistence configured, Redis exits at once), then forcibly if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
