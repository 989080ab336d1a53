package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Protocol;
import dev.arbor.protocol.ProtocolErrors;
import dev.arbor.protocol.Streaming;
import dev.arbor.protocol.Values;
import dev.arbor.wire.CouchErrors;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
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
 * Long answers come in chunks ({@link #stream}, read through an {@link Inflow} that grants the server credit as it is
 * read) and uploads go out in chunks paced by the server's credit ({@link #upload}), over either transport alike.
 *
 * <p>Threads: callers block in {@link #call} on their own future, or read their inflow; the transport delivers frames
 * one at a time on its own thread ({@link #receive}), which completes the futures, queues chunks and credit, and hands
 * pushes to their subscribers, never blocking. When the connection ends, for whatever reason, every waiting call and
 * every inflow fails at once with the reason, and later calls fail without waiting. Subscriptions are not kept here:
 * {@link ReconnectingConnection} keeps them and makes them again on the next connection.
 */
public final class ProtocolConnection implements AutoCloseable {
    /** Set once, by {@link #open}, right after the transport connects (frames may arrive before it is set). */
    private volatile Transport transport;
    /** The server's address without credentials, for messages and database names. */
    private final URI server;
    private final Duration timeout;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Long, Consumer<Frame.Push>> pushTargets = new ConcurrentHashMap<>();
    /** Answers arriving in chunks, by request id, until their closing response or failure. */
    private final Map<Long, Inflow> inflows = new ConcurrentHashMap<>();
    /** Uploads under way, by request id: the chunks the server has room for. */
    private final Map<Long, java.util.concurrent.Semaphore> uploadCredit = new ConcurrentHashMap<>();
    /**
     * Ids whose callers stopped waiting (timed out, interrupted, closed their inflow early) before the final answer
     * came: late chunks and a late answer to one of these are expected and dropped; an answer to any other id nothing
     * waits for is the server answering twice (or an id never sent), a protocol error that ends the connection.
     */
    private final java.util.Set<Long> abandoned = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    /** Set before the end, by the reader's thread, when the server broke the protocol (see {@link #brokeProtocol}). */
    private volatile boolean brokeProtocol;
    /** When anything (a frame, or a pong) last came from the server; written by the transport's reading thread. */
    private volatile long lastHeardNanos = System.nanoTime();
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
        if (connection.transport.pings()) {
            // Before the hello: a welcome cut off mid-frame is found by a failing ping, not at the hello's timeout.
            Thread.ofVirtual().name("arbor-ws-heartbeat").start(connection::heartbeat);
        }
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

    /**
     * For a transport that {@link Transport#pings pings} (the WebSocket): pings the server every eighth of the timeout
     * (at most every 5 s) until the connection ends, and ends it when nothing (no frame, not even a pong) has come for
     * twice the timeout (a call with no answer fails on its own timeout first). A connection can die without the JDK's
     * WebSocket telling its listener: a stream cut off mid-frame, or a peer gone without a reset, is noticed only when a
     * send fails, or never. Without this, calls on such a connection would wait their whole timeout and its
     * subscriptions would wait forever, silently; with it, a dead connection is found within a timeout even when nothing
     * else is sent, and replaced (a reconnecting client resubscribes). The rule itself is the transport's pongs only in
     * that any frame received counts as hearing from the server.
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
            if (ended != null) {
                return;
            }
            if (System.nanoTime() - lastHeardNanos > 2 * timeout.toNanos()) {
                end(new ArborException.Internal("the connection to " + server + " is dead: nothing came from the server"
                        + " within " + timeout.multipliedBy(2) + ", not even a pong", null));
                transport.close();
                return;
            }
            transport.ping().whenComplete((ok, failed) -> {
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

    /**
     * Sends {@code op}, whose answer comes in chunks: read them with {@link Inflow#next}, and close the inflow when done
     * with it (early, it cancels the rest). The server sends at most a window of chunks ahead of what was read.
     */
    public Inflow stream(Op op, ObjectNode args) {
        long id = ids.incrementAndGet();
        Inflow inflow = new Inflow(id, op.wireName());
        inflows.put(id, inflow);
        ArborException why = ended;
        if (why != null) {
            inflows.remove(id);
            throw copy(why);
        }
        send(new Frame.Request(id, op.wireName(), args));
        return inflow;
    }

    /**
     * Sends {@code op} with an upload: the request, then each part's bytes in chunks of {@link Streaming#CHUNK_BYTES},
     * each part ended by a chunk {@code {end: true}}, never more than the server's credit allows ahead; then waits for
     * the answer. An answer that comes early (a refusal) stops the upload.
     */
    public JsonNode upload(Op op, ObjectNode args, List<InputStream> parts) {
        args.put(Streaming.UPLOAD, true);
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        java.util.concurrent.Semaphore credit = new java.util.concurrent.Semaphore(Streaming.WINDOW);
        pending.put(id, answer);
        uploadCredit.put(id, credit);
        try {
            ArborException why = ended;
            if (why != null) {
                pending.remove(id);
                throw copy(why);
            }
            send(new Frame.Request(id, op.wireName(), args));
            byte[] buffer = new byte[Streaming.CHUNK_BYTES];
            sending:
            for (InputStream part : parts) {
                while (true) {
                    int n;
                    try {
                        n = part.readNBytes(buffer, 0, buffer.length);
                    } catch (IOException e) {
                        send(new Frame.Cancel(id)); // the server still answers it: abandoned below, so that is dropped
                        throw new ArborException.BadRequest("bad_request", "reading the upload failed: " + e.getMessage());
                    }
                    if (!awaitCredit(credit, answer, op.wireName())) {
                        break sending;
                    }
                    if (n == 0) {
                        send(new Frame.Chunk(id, Values.object().put("end", true)));
                        break;
                    }
                    send(new Frame.Chunk(id, Values.object().put("bytes", java.util.Arrays.copyOf(buffer, n))));
                }
            }
        } catch (RuntimeException e) {
            abandon(id); // a part unreadable, no room granted in time: an answer that comes after is dropped
            throw e;
        } finally {
            uploadCredit.remove(id);
        }
        return await(answer, id, op.wireName());
    }

    /** Waits for one chunk of credit; false when the answer came first (the server needs no more). */
    private boolean awaitCredit(java.util.concurrent.Semaphore credit, CompletableFuture<JsonNode> answer, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!credit.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                if (answer.isDone()) {
                    return false;
                }
                if (System.nanoTime() > deadline) {
                    throw new ArborException.Internal("no room granted for " + what + "'s upload by " + server + " within " + timeout, null);
                }
            }
            return !answer.isDone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while uploading to " + server, e);
        }
    }

    /**
     * One request's answer arriving in chunks, read by one thread: {@link #next} gives each chunk's data and grants the
     * server one chunk of credit for it, so at most a window of chunks ever waits here. The JDK's WebSocket thread adds
     * to the queue and never blocks.
     */
    public final class Inflow implements AutoCloseable {
        private final long id;
        private final String what;
        private final java.util.concurrent.LinkedBlockingQueue<Object> events = new java.util.concurrent.LinkedBlockingQueue<>();
        /** The reader's thread only. */
        private boolean done;
        private long delivered;

        private JsonNode result;

        private Inflow(long id, String what) {
            this.id = id;
            this.what = what;
        }

        public long id() {
            return id;
        }

        /**
         * The next chunk's data, or null when the answer is complete ({@link #result} then holds the closing response);
         * the failure that closed it is thrown. Waits at most the connection's timeout for a chunk, or without end when
         * {@code forever} (a subscription between commits).
         */
        public JsonNode next(boolean forever) {
            if (done) {
                return null;
            }
            Object event;
            try {
                event = forever ? events.take() : events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArborException.Internal("interrupted while reading " + what + " from " + server, e);
            }
            if (event == null) {
                close();
                throw new ArborException.Internal("no answer to " + what + " from " + server + " within " + timeout, null);
            }
            if (event instanceof Lost lost) {
                done = true;
                if (delivered == 0) {
                    throw copy(lost.why());
                }
                // Part of the answer was handed on: it is not re-sent from its middle, and must not look complete.
                throw new ArborException.Internal("the connection to " + server + " was lost after " + delivered
                        + " chunks of the answer to " + what + ", so the answer is incomplete: what came was delivered,"
                        + " the rest never will be (" + lost.why().reason() + ")", lost.why());
            }
            if (event instanceof ArborException failed) {
                done = true;
                throw copy(failed);
            }
            if (event instanceof Closing closing) {
                done = true;
                result = closing.result();
                return null;
            }
            delivered++;
            send(new Frame.Credit(id, 1));
            return (JsonNode) event;
        }

        /** The chunks {@link #next} has handed on so far. */
        public long delivered() {
            return delivered;
        }

        /** The closing response, once {@link #next} has returned null. */
        public JsonNode result() {
            return result;
        }

        /**
         * Cancels what has not come yet (nothing when the answer is complete). Any thread may close: a reader waiting in
         * {@link #next} then sees the end.
         */
        @Override
        public void close() {
            // Abandoned first, so the reader never finds the id in neither place: chunks already on their way, and the
            // final response or failure the server still sends, are expected and dropped.
            abandoned.add(id);
            if (inflows.remove(id) != null) {
                if (ended == null) {
                    send(new Frame.Cancel(id));
                }
                events.add(new Closing(null));
            } else {
                abandoned.remove(id); // complete already (or the connection ended): nothing more will come for it
            }
        }

        private void add(Object event) {
            events.add(event);
        }
    }

    private record Closing(JsonNode result) {}

    /** The connection ended under an inflow: its answer will not be completed. */
    private record Lost(ArborException why) {}

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
            case Frame.Response response -> {
                Inflow inflow = inflows.remove(response.id());
                if (inflow != null) {
                    inflow.add(new Closing(response.result()));
                } else {
                    complete(response.id(), response.result());
                }
            }
            case Frame.Chunk chunk -> {
                Inflow inflow = inflows.get(chunk.id());
                if (inflow != null) {
                    inflow.add(chunk.data());
                } else if (!abandoned.contains(chunk.id()) && ended == null) {
                    // A live stream's chunks are expected; one for an id no stream reads (answered already, or never a
                    // stream) means the two sides no longer agree on what is in flight.
                    protocolError(server + " sent a chunk of request " + chunk.id() + ", which no stream was reading");
                }
            }
            case Frame.Credit credit -> {
                java.util.concurrent.Semaphore room = uploadCredit.get(credit.id());
                if (room != null) {
                    room.release(Math.max(0, credit.chunks()));
                }
            }
            case Frame.Cancel cancel -> protocolError("the server sent a cancel");
            case Frame.Failure failure -> {
                ArborException e = ProtocolErrors.exception(failure);
                if (failure.id() == 0) {
                    // The connection itself was refused (a hello of the wrong version): nothing more will come.
                    end(e);
                } else {
                    Inflow inflow = inflows.remove(failure.id());
                    if (inflow != null) {
                        inflow.add(e);
                    } else {
                        CompletableFuture<JsonNode> answer = answerFor(failure.id());
                        if (answer != null) {
                            answer.completeExceptionally(e);
                        }
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
     * The future waiting for the final answer to {@code id}, taken so no second answer finds it; null for a late answer
     * to an abandoned call or stream, and null after ending the connection for an answer nothing waits for: every
     * request is answered once, so a second answer means the two sides no longer agree on what is in flight, and
     * nothing after it can be trusted to match its request. (A streamed answer's final frame is taken by its
     * {@link Inflow} before this is asked.)
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
     * a frame only a client sends, a malformed frame) rather than being closed or lost: never, with a working server
     * and network.
     */
    public boolean brokeProtocol() {
        return brokeProtocol;
    }

    /**
     * The server broke the protocol: the connection ends as any lost one does (its waiting calls fail, a reconnecting
     * client opens another), and its transport is closed with 1002, since nothing more it carries can be trusted. Runs
     * on the transport's reading thread, so the close goes on a thread of its own and is not waited for.
     */
    private void protocolError(String what) {
        brokeProtocol = true;
        end(new ArborException.Internal("protocol error: " + what, null));
        Transport open = transport;
        if (open != null) {
            Thread.ofVirtual().name("arbor-protocol-close").start(() -> open.close(Protocol.CLOSE_PROTOCOL_ERROR, "protocol error"));
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
        // Before the end is signalled: a subscription made again on the next connection finds its old reader ending.
        for (Long id : inflows.keySet()) {
            Inflow inflow = inflows.remove(id);
            if (inflow != null) {
                inflow.add(new Lost(reason));
            }
        }
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
            lastHeardNanos = System.nanoTime();
            try {
                receive(Frames.decode(bytes));
            } catch (ArborException malformed) {
                protocolError("the server sent a malformed frame: " + malformed.reason());
            }
        }

        @Override
        public void heard() {
            lastHeardNanos = System.nanoTime();
        }

        @Override
        public void ended(ArborException why) {
            end(why);
        }
    }
}
