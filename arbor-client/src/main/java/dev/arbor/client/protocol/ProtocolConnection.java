package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Protocol;
import dev.arbor.protocol.ProtocolErrors;
import dev.arbor.wire.CouchErrors;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One connection to a server's Arbor protocol, shared by every database and facet opened through it, over whichever
 * {@link Transport} its URL names: {@code ws://} and {@code wss://} a WebSocket on the server's HTTP port,
 * {@code arbor://} QUIC on the server's QUIC port. Any thread may {@link #call}: each request gets the next id and its
 * caller waits for the frame with that id, so many requests are in flight at once and answers arrive in any order.
 *
 * <p>Threads: callers block in {@link #call} on their own future; the transport delivers frames one at a time on its
 * own thread ({@link #receive}), which completes the futures and hands pushes to their subscribers. When the connection
 * ends, for whatever reason, every waiting call fails at once with the reason, and later calls fail without waiting.
 */
public final class ProtocolConnection implements AutoCloseable {
    /** Set once, by {@link #open}, right after the transport connects (frames may arrive before it is set). */
    private volatile Transport transport;
    /** The server's address without credentials, for messages and database names. */
    private final URI server;
    private final Duration timeout;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Long, Consumer<Frame.Push>> pushTargets = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Set once, when the connection ends: what every later call fails with. */
    private volatile ArborException ended;
    /** Completed once, with {@link #ended}, after the waiting calls have failed: what {@link #whenEnded} listens to. */
    private final CompletableFuture<ArborException> endSignal = new CompletableFuture<>();

    private ProtocolConnection(URI server, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
    }

    /**
     * Connects to the server {@code location} names, says hello and waits for the welcome. {@code ws://} and
     * {@code wss://[user:password@]host:port} (any path ignored): user info logs in with Basic auth on the upgrade
     * request. {@code arbor://[user:password@]host:port}: QUIC, always over TLS 1.3; user info travels in the hello, and
     * the server's certificate is checked against the JDK's trust store unless the query names another trust:
     * {@code ?pin=AB:CD:…} (the SHA-256 fingerprint of the one certificate to accept, as the server prints it) or
     * {@code ?trust=/path/to/ca.pem} (certificates to trust, PEM).
     *
     * @param timeout how long connecting, and then each request, may take before it fails
     */
    public static ProtocolConnection open(URI location, Duration timeout) {
        URI server = serverOf(location);
        ProtocolConnection connection = new ProtocolConnection(server, timeout);
        Transport.Listener listener = connection.new Incoming();
        boolean quic = server.getScheme().equals(QuicTransport.SCHEME);
        connection.transport = quic ? QuicTransport.open(location, server, timeout, listener)
                : WebSocketTransport.open(location, server, timeout, listener);
        try {
            connection.hello(quic ? QuicTransport.hello(location) : new Frame.Hello(Protocol.VERSION));
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** The hello is request 0: the server answers it with a welcome, or with a failure of id 0 and a close. */
    private void hello(Frame.Hello hello) {
        CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
        pending.put(0L, welcome);
        ArborException refused = ended;
        if (refused != null) {
            // Refused before the hello went out (its credentials, say): the reason came first.
            throw copy(refused);
        }
        send(hello);
        await(welcome, 0, "hello");
    }

    /** The server's root URL without credentials. */
    public URI server() {
        return server;
    }

    /** Sends {@code op} with {@code args} and waits for its answer; its failure is thrown as the server reported it. */
    public JsonNode call(Op op, ObjectNode args) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ArborException why = ended;
        if (why != null) {
            pending.remove(id);
            throw copy(why);
        }
        send(new Frame.Request(id, op.wireName(), args));
        return await(answer, id, op.wireName());
    }

    private JsonNode await(CompletableFuture<JsonNode> answer, long id, String what) {
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ArborException arbor ? copy(arbor)
                    : new ArborException.Internal(what + " to " + server + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            pending.remove(id);
            throw new ArborException.Internal("no answer to " + what + " from " + server + " within " + timeout, e);
        } catch (InterruptedException e) {
            pending.remove(id);
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while waiting for " + what + " from " + server, e);
        }
    }

    /**
     * A new exception of the same kind for this caller's thread: one failure (the connection's end) may be thrown to
     * many callers, and each should see its own stack.
     */
    private static ArborException copy(ArborException e) {
        if (e instanceof ArborException.Internal) {
            return new ArborException.Internal(e.reason(), e);
        }
        return CouchErrors.from(dev.arbor.wire.HttpStatus.of(e), e.error(), e.reason());
    }

    /** Routes pushes for {@code subscriber} to {@code target}, until {@link #stopPushes}. */
    void onPush(long subscriber, Consumer<Frame.Push> target) {
        pushTargets.put(subscriber, target);
    }

    void stopPushes(long subscriber) {
        pushTargets.remove(subscriber);
    }

    private void send(Frame frame) {
        transport.send(Frames.encode(frame)).whenComplete((ok, failed) -> {
            if (failed != null) {
                end(new ArborException.Internal("sending to " + server + " failed: " + failed.getMessage(), failed));
            }
        });
    }

    /** Runs on the transport's reading thread, one frame at a time. */
    private void receive(Frame frame) {
        switch (frame) {
            case Frame.Welcome welcome -> complete(0, welcome);
            case Frame.Response response -> complete(response.id(), response.result());
            case Frame.Failure failure -> {
                ArborException e = ProtocolErrors.exception(failure);
                if (failure.id() == 0) {
                    // The connection itself was refused (a hello of the wrong version): nothing more will come.
                    end(e);
                } else {
                    CompletableFuture<JsonNode> answer = pending.remove(failure.id());
                    if (answer != null) {
                        answer.completeExceptionally(e);
                    }
                }
            }
            case Frame.Push push -> {
                Consumer<Frame.Push> target = pushTargets.get(push.subscriber());
                if (target != null) {
                    target.accept(push);
                }
            }
            case Frame.Hello hello -> end(new ArborException.Internal("the server sent a hello", null));
            case Frame.Request request -> end(new ArborException.Internal("the server sent a request", null));
        }
    }

    private void complete(long id, Object value) {
        CompletableFuture<JsonNode> answer = pending.remove(id);
        if (answer != null) {
            answer.complete(value instanceof JsonNode node ? node : null);
        }
    }

    /** The connection is over: every waiting call fails with {@code why}, and so does every later one. */
    private void end(ArborException why) {
        synchronized (this) {
            if (ended == null) {
                ended = why;
            }
        }
        ArborException reason = ended;
        for (Long id : pending.keySet()) {
            CompletableFuture<JsonNode> answer = pending.remove(id);
            if (answer != null) {
                answer.completeExceptionally(reason);
            }
        }
        pushTargets.clear();
        endSignal.complete(reason);
    }

    /**
     * Tells {@code listener} once that the connection ended and why (at once if it already has), on the thread that
     * ended it (the reader's, a failed send's, or a closer's): the listener must not block.
     */
    void whenEnded(Consumer<ArborException> listener) {
        endSignal.thenAccept(listener);
    }

    /** Whether the connection has ended (closed by either side, or failed). */
    public boolean isClosed() {
        return ended != null;
    }

    @Override
    public void close() {
        end(new ArborException.Internal("the connection to " + server + " was closed by this client", null));
        Transport open = transport;
        if (open != null) {
            open.close();
        }
    }

    private static URI serverOf(URI location) {
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") && !scheme.equals(QuicTransport.SCHEME)) {
            throw new IllegalArgumentException("not an Arbor protocol URL (ws://, wss:// or arbor://): " + scheme + "://…");
        }
        if (scheme.equals(QuicTransport.SCHEME) && location.getPort() < 0) {
            throw new IllegalArgumentException("an arbor:// URL names the server's QUIC port: arbor://host:port");
        }
        if (location.getHost() == null) {
            throw new IllegalArgumentException("not a server URL (no host): " + scheme + "://…");
        }
        try {
            return new URI(scheme, null, location.getHost(), location.getPort(), "/", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + e.getReason(), e);
        }
    }

    /** The transport's events, on its reading thread. */
    private final class Incoming implements Transport.Listener {
        @Override
        public void frame(byte[] bytes) {
            try {
                receive(Frames.decode(bytes));
            } catch (ArborException malformed) {
                end(new ArborException.Internal("the server sent a malformed frame: " + malformed.reason(), malformed));
            }
        }

        @Override
        public void ended(ArborException why) {
            end(why);
        }
    }
}
