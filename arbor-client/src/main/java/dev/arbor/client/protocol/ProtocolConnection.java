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

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One WebSocket connection to a server's Arbor protocol endpoint, shared by every database and facet opened through it.
 * Any thread may {@link #call}: each request gets the next id and its caller waits for the frame with that id, so many
 * requests are in flight at once and answers arrive in any order.
 *
 * <p>Threads: callers block in {@link #call} on their own future; the JDK's WebSocket delivers frames one at a time on
 * its own thread ({@link Reader}), which completes the futures and hands pushes to their subscribers; sends are chained
 * one after another (the JDK allows one outstanding send). When the connection ends, for whatever reason, every waiting
 * call fails at once with the reason, and later calls fail without waiting.
 */
public final class ProtocolConnection implements AutoCloseable {
    private final HttpClient http;
    private final WebSocket socket;
    /** The server's address without credentials, for messages and database names. */
    private final URI server;
    private final Duration timeout;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Long, Consumer<Frame.Push>> pushTargets = new ConcurrentHashMap<>();
    /**
     * Ids whose callers stopped waiting (timed out, interrupted) before their answer came: a late answer to one of these
     * is expected and dropped; an answer to any other id not {@link #pending} is the server answering twice (or an id
     * never sent), a protocol error that ends the connection.
     */
    private final java.util.Set<Long> abandoned = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    /** Set before the end, by the reader's thread, when the server broke the protocol (see {@link #brokeProtocol}). */
    private volatile boolean brokeProtocol;
    /** When the last frame of any kind (pongs included) came from the server; written by the reader's thread. */
    private volatile long lastHeardNanos = System.nanoTime();
    private final Object sendLock = new Object();
    /** Guarded by sendLock: the last send, which the next one waits for. */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    /** Set once, when the connection ends: what every later call fails with. */
    private volatile ArborException ended;
    /** Completed once, with {@link #ended}, after the waiting calls have failed: what {@link #whenEnded} listens to. */
    private final CompletableFuture<ArborException> endSignal = new CompletableFuture<>();

    private ProtocolConnection(HttpClient http, WebSocket socket, URI server, Duration timeout) {
        this.http = http;
        this.socket = socket;
        this.server = server;
        this.timeout = timeout;
    }

    /**
     * Connects to the server {@code location} names ({@code ws://[user:password@]host:port}, any path ignored), says
     * hello and waits for the welcome. User info logs in with Basic auth on the upgrade request.
     *
     * @param timeout how long connecting, and then each request, may take before it fails
     */
    public static ProtocolConnection open(URI location, Duration timeout) {
        URI server = serverOf(location);
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        Reader reader = new Reader();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        if (location.getRawUserInfo() != null) {
            String credentials = URLDecoder.decode(location.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
            builder.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        WebSocket socket;
        try {
            socket = builder.buildAsync(server.resolve(Protocol.PATH), reader).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            http.shutdownNow();
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                Object body = refused.getResponse().body();
                throw body instanceof byte[] bytes && bytes.length > 0 ? CouchErrors.from(status, bytes)
                        : CouchErrors.from(status, null, "the server refused the Arbor protocol at " + server.resolve(Protocol.PATH));
            }
            throw new ArborException.Internal("cannot connect to " + server + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            http.shutdownNow();
            throw new ArborException.Internal("no connection to " + server + " within " + timeout, e);
        } catch (InterruptedException e) {
            http.shutdownNow();
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while connecting to " + server, e);
        }
        ProtocolConnection connection = new ProtocolConnection(http, socket, server, timeout);
        reader.attach(connection);
        // Before the hello: a welcome cut off mid-frame is found by a failing ping, not at the hello's timeout.
        Thread.ofVirtual().name("arbor-ws-heartbeat").start(connection::heartbeat);
        try {
            connection.hello();
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** The hello is request 0: the server answers it with a welcome, or with a failure of id 0 and a close. */
    private void hello() {
        CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
        pending.put(0L, welcome);
        ArborException refused = ended;
        if (refused != null) {
            // Refused before the hello went out (its credentials, say): the reason came first.
            throw copy(refused);
        }
        send(new Frame.Hello(Protocol.VERSION));
        await(welcome, 0, "hello");
    }

    /**
     * Pings the server every eighth of the timeout (at most every 5 s) until the connection ends, and ends it when
     * nothing (not even a pong) has come for twice the timeout (a call with no answer fails on its own timeout first). A connection can die without the JDK's WebSocket telling
     * its listener: a stream cut off mid-frame, or a peer gone without a reset, is noticed only when a send fails or
     * never. Without this, calls on such a connection would wait their whole timeout and its subscriptions would wait
     * forever, silently; with it, a dead connection is found within a timeout even when nothing else is sent, and
     * replaced (a reconnecting client resubscribes).
     */
    private void heartbeat() {
        // A stream cut off may take a few sends to show (the first write after a FIN still succeeds locally), so the
        // pings come often enough for those few to fit well inside one timeout.
        long interval = Math.max(50, Math.min(timeout.toMillis() / 8, 5_000));
        while (ended == null) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            if (System.nanoTime() - lastHeardNanos > 2 * timeout.toNanos()) {
                end(new ArborException.Internal("the connection to " + server + " is dead: nothing came from the server"
                        + " within " + timeout.multipliedBy(2) + ", not even a pong", null));
                socket.abort();
                return;
            }
            CompletableFuture<WebSocket> sent;
            synchronized (sendLock) {
                sent = lastSend.handle((ok, failed) -> null).thenCompose(ignored -> socket.sendPing(ByteBuffer.allocate(0)));
                lastSend = sent;
            }
            sent.whenComplete((ok, failed) -> {
                if (failed != null) {
                    end(new ArborException.Internal("pinging " + server + " failed: " + failed.getMessage(), failed));
                }
            });
        }
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
            abandon(id);
            throw new ArborException.Internal("no answer to " + what + " from " + server + " within " + timeout, e);
        } catch (InterruptedException e) {
            abandon(id);
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while waiting for " + what + " from " + server, e);
        }
    }

    /** The caller gives up on {@code id}; its answer may still come, and is then dropped. */
    private void abandon(long id) {
        abandoned.add(id);
        if (pending.remove(id) == null) {
            abandoned.remove(id); // answered meanwhile (or the connection ended): nothing more will come for it
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
        ByteBuffer bytes = ByteBuffer.wrap(Frames.encode(frame));
        CompletableFuture<WebSocket> sent;
        synchronized (sendLock) {
            sent = lastSend.handle((ok, failed) -> null).thenCompose(ignored -> socket.sendBinary(bytes, true));
            lastSend = sent;
        }
        sent.whenComplete((ok, failed) -> {
            if (failed != null) {
                end(new ArborException.Internal("sending to " + server + " failed: " + failed.getMessage(), failed));
            }
        });
    }

    /** Runs on the JDK's WebSocket thread, one frame at a time. */
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
                    CompletableFuture<JsonNode> answer = answerFor(failure.id());
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
            case Frame.Hello hello -> protocolError("the server sent a hello");
            case Frame.Request request -> protocolError("the server sent a request");
        }
    }

    private void complete(long id, Object value) {
        CompletableFuture<JsonNode> answer = answerFor(id);
        if (answer != null) {
            answer.complete(value instanceof JsonNode node ? node : null);
        }
    }

    /**
     * The future waiting for the answer to {@code id}, taken so no second answer finds it; null for a late answer to an
     * abandoned call, and null after ending the connection for an answer nothing waits for: every request is answered
     * once, so a second answer means the two sides no longer agree on what is in flight, and nothing after it can be
     * trusted to match its request.
     */
    private CompletableFuture<JsonNode> answerFor(long id) {
        CompletableFuture<JsonNode> answer = pending.remove(id);
        if (answer != null || abandoned.remove(id) || ended != null) {
            return answer;
        }
        protocolError(server + " answered request " + id + ", which no call was waiting for (answered twice, or never sent)");
        return null;
    }

    /**
     * Whether this connection ended because the server broke the protocol (answered a request nothing waits for, sent
     * a frame only a client sends) rather than being closed or lost: never, with a working server and network.
     */
    public boolean brokeProtocol() {
        return brokeProtocol;
    }

    /**
     * The server broke the protocol: the connection ends as any lost one does (its waiting calls fail, a reconnecting
     * client opens another), and its socket is closed with 1002, since nothing more it carries can be trusted. Runs on
     * the reader's thread, so the close is not waited for.
     */
    private void protocolError(String what) {
        brokeProtocol = true;
        end(new ArborException.Internal("protocol error: " + what, null));
        socket.sendClose(Protocol.CLOSE_PROTOCOL_ERROR, "protocol error").orTimeout(1, TimeUnit.SECONDS)
                .whenComplete((closed, failed) -> {
                    socket.abort();
                    http.shutdownNow();
                });
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
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
        } catch (Exception alreadyGone) {
            // the server's side closes with it or has already
        } finally {
            socket.abort();
            http.shutdownNow();
        }
    }

    private static URI serverOf(URI location) {
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("not an Arbor protocol URL (ws:// or wss://): " + scheme + "://…");
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

    /**
     * The JDK's listener: gathers each binary message's fragments and hands the whole frame on. Events that come before
     * the connection object exists (a refusal sent right after the upgrade, its close) wait in order until
     * {@link #attach}: the JDK may call the listener before it completes the upgrade's future, so blocking here for the
     * connection would stall the thread that completes it.
     */
    private static final class Reader implements WebSocket.Listener {
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        /** Guarded by this: the connection once attached, and the events that came before it. */
        private ProtocolConnection connection;
        private final java.util.List<Consumer<ProtocolConnection>> early = new java.util.ArrayList<>();

        synchronized void attach(ProtocolConnection attached) {
            early.forEach(event -> event.accept(attached));
            early.clear();
            connection = attached;
        }

        private void deliver(Consumer<ProtocolConnection> event) {
            ProtocolConnection to;
            synchronized (this) {
                to = connection;
                if (to == null) {
                    early.add(event);
                    return;
                }
            }
            event.accept(to);
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            deliver(c -> c.lastHeardNanos = System.nanoTime());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            deliver(c -> c.lastHeardNanos = System.nanoTime());
            webSocket.request(1);
            return null; // the JDK answers the ping itself
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            message.writeBytes(chunk);
            if (last) {
                byte[] whole = message.toByteArray();
                message.reset();
                deliver(to -> {
                    to.lastHeardNanos = System.nanoTime();
                    try {
                        to.receive(Frames.decode(whole));
                    } catch (ArborException malformed) {
                        to.protocolError("the server sent a malformed frame: " + malformed.reason());
                    }
                });
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            deliver(c -> c.end(new ArborException.Internal("the connection to " + c.server
                    + " closed (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")", null)));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            deliver(c -> c.end(new ArborException.Internal("the connection to " + c.server + " failed: " + error, error)));
        }
    }
}
