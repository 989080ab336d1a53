package dev.arbor.server.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy that damages traffic through it, for replication tests. A new connection is dropped at once
 * with probability {@code faultRate}; on a connection that lives, each chunk of response bytes draws a fate: pass,
 * be delayed (up to {@code maxDelayMillis}), be truncated (part of it sent, then a clean close) or be reset (part of
 * it sent, then RST). Faults are drawn per chunk, not per connection, because HTTP clients keep connections alive
 * and would otherwise dodge them. Faults hit responses, the half where a client has already committed its request:
 * the hardest case for "did my write land?". With {@link #faultRequests()}, chunks of request bytes draw the same
 * fates, so a request may arrive late, cut off mid-frame (the connection then closes) or not at all.
 */
public final class FaultyProxy implements AutoCloseable {
    public enum Fate { PASS, DELAY, DROP, TRUNCATE, RESET }

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final double faultRate;
    private final int maxDelayMillis;
    private final Random random;
    private final AtomicLong[] counts = new AtomicLong[Fate.values().length];
    private volatile boolean faulty = true;
    /** Set before traffic flows (by {@link #faultRequests}), read by the forwarding threads. */
    private volatile boolean faultRequests;
    /** The sockets of connections through the proxy now, both ends, for {@link #cutAll}. */
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FaultyProxy(int upstreamPort, double faultRate, int maxDelayMillis, long seed) throws IOException {
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        this.faultRate = faultRate;
        this.maxDelayMillis = maxDelayMillis;
        this.random = new Random(seed);
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new AtomicLong();
        }
        Thread.ofVirtual().name("faulty-proxy-accept").start(this::acceptLoop);
    }

    /** The proxy's port, for URLs of other schemes (ws://). */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Cuts every connection open through the proxy now, both ways at once, as a network failure or a restarting middle
     * box would; new connections go on being accepted.
     */
    public void cutAll() {
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException alreadyGone) {
                // cut either way
            }
        }
    }

    /** Damages requests as well as responses (on connections opened from now on, and those open). */
    public FaultyProxy faultRequests() {
        faultRequests = true;
        return this;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    /** Turns the faults off (true: on again), e.g. to compare both sides through the same proxy. */
    public void faulty(boolean value) {
        faulty = value;
    }

    public long count(Fate fate) {
        return counts[fate.ordinal()].get();
    }

    public long faults() {
        return count(Fate.DELAY) + count(Fate.DROP) + count(Fate.TRUNCATE) + count(Fate.RESET);
    }

    private synchronized Fate drawForConnection() {
        return faulty && random.nextDouble() < faultRate ? Fate.DROP : Fate.PASS;
    }

    private synchronized Fate drawForChunk() {
        if (!faulty || random.nextDouble() >= faultRate) {
            return Fate.PASS;
        }
        Fate[] faults = {Fate.DELAY, Fate.DELAY, Fate.TRUNCATE, Fate.RESET};
        return faults[random.nextInt(faults.length)];
    }

    private synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Fate fate = drawForConnection();
                if (fate == Fate.DROP) {
                    counts[fate.ordinal()].incrementAndGet();
                    client.close();
                    continue;
                }
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket server = new Socket();
        try (client; server) {
            open.add(client);
            open.add(server);
            server.connect(upstream, 5000);
            Thread up = Thread.ofVirtual().start(() -> forwardRequests(client, server));
            forwardResponses(server, client);
            client.close();
            server.close();
            up.join();
        } catch (IOException | InterruptedException ignored) {
            // the connection ends either way; that is the point
        } finally {
            open.remove(client);
            open.remove(server);
        }
    }

    private void forwardRequests(Socket client, Socket server) {
        try {
            if (!faultRequests) {
                client.getInputStream().transferTo(server.getOutputStream());
            } else if (!forward(client, server)) {
                client.close(); // cut off mid-request: the client learns of it as the server does
                return;
            }
            server.shutdownOutput();
        } catch (IOException | InterruptedException ignored) {
            // one side went away
        }
    }

    /** Server to client, chunk by chunk, each chunk drawing its fate. */
    private void forwardResponses(Socket server, Socket client) throws IOException, InterruptedException {
        if (forward(server, client)) {
            client.shutdownOutput();
        }
    }

    /**
     * Copies {@code from}'s bytes to {@code to} chunk by chunk, each chunk drawing its fate; false when a fault cut the
     * stream off (part of a chunk written, then {@code to} closed, with an RST for a reset).
     */
    private boolean forward(Socket from, Socket to) throws IOException, InterruptedException {
        byte[] buffer = new byte[8192];
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
            Fate fate = drawForChunk();
            counts[fate.ordinal()].incrementAndGet();
            switch (fate) {
                case PASS -> out.write(buffer, 0, n);
                case DELAY -> {
                    Thread.sleep(nextInt(maxDelayMillis + 1));
                    out.write(buffer, 0, n);
                }
                case TRUNCATE, RESET -> {
                    out.write(buffer, 0, nextInt(n)); // part of the chunk, maybe none of it
                    out.flush();
                    if (fate == Fate.RESET) {
                        to.setSoLinger(true, 0); // close() now sends RST
                    }
                    to.close();
                    return false;
                }
                case DROP -> throw new IllegalStateException("drops happen on accept");
            }
            out.flush();
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
    }
}
