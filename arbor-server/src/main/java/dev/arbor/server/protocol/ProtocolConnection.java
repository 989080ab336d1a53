package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;
import dev.arbor.protocol.Protocol;
import dev.arbor.protocol.ProtocolErrors;
import dev.arbor.protocol.Streaming;

/**
 * One client's connection, whatever {@link Transport} carries it. The transport delivers frames one at a time; each
 * request then runs on a virtual thread of its own and sends its answer when done, in whatever order they finish.
 *
 * <p>In-flight limit: a frame is read only while fewer than {@code limit} requests run. The connection demands the next
 * frame itself ({@link Transport#demand}) when a slot is free, or leaves the demand to the request that frees one, so a
 * client that pipelines more waits in its own buffers instead of piling threads up here.
 *
 * <p>Threads: the transport's delivering thread calls {@link #opened}, {@link #frame} and {@link #closed}, one at a time
 * per connection; request and subscriber threads call {@link #send} at once (the transport queues their frames).
 */
final class ProtocolConnection {
    private static final System.Logger LOG = System.getLogger("dev.arbor.server.protocol");
    /** How long a slow consumer's close may wait behind its unread frames before the connection is dropped. */
    private static final long SLOW_CONSUMER_CLOSE_GRACE_MILLIS = 1000;

    /**
     * Who a hello makes the connection act as. A WebSocket's caller was authenticated on its upgrade request, so its
     * login ignores the hello; QUIC has no such request, so its login reads the hello's credentials. An
     * {@link ArborException} refuses the connection with that error.
     */
    @FunctionalInterface
    interface Login {
        Caller caller(Frame.Hello hello);
    }

    private final Login login;
    private final Dispatcher dispatcher;
    private final Runnable onClose;
    private final RequestWorkers workers;
    private final PushBuffer pushes;
    /** Set once, by the subscriber thread that finds the push buffer full. */
    private final java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
    private final Subscribers subscribers = new Subscribers(this::push);
    private final LiveSubscriptions live = new LiveSubscriptions(this::push);
    /** The streams of requests not yet answered, by request id: their answers' chunks, and uploads coming in. */
    private final java.util.Map<Long, Outbound> outbound = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Long, Inbound> inbound = new java.util.concurrent.ConcurrentHashMap<>();
    /** Guarded by {@code this}: free request slots, and whether a frame is owed a demand once one frees. */
    private int free;
    private boolean demandOwed;
    /** Set on open by the delivering thread, read by request threads. */
    private volatile Transport transport;
    /** Set by the accepted hello (on the delivering thread), read by request threads afterwards. */
    private volatile Caller caller;
    /** Set by the delivering thread when the connection closes; read by request threads opening streams. */
    private volatile boolean closed;
    /**
     * Guarded by itself: the ids of the requests running now, a streamed one until its final response or failure. The
     * delivering thread adds one as its frame arrives; the request's thread removes it in the same critical section as
     * it hands the answer to the transport, so an id is free exactly once its answer is on its way, and a correct client
     * (which reuses an id only after reading the answer) is never refused.
     */
    private final java.util.Set<Long> inFlight = new java.util.HashSet<>();

    ProtocolConnection(Login login, Dispatcher dispatcher, int limit, RequestWorkers workers, PushBuffer pushes,
                       Runnable onClose) {
        this.login = login;
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.pushes = pushes;
        this.free = limit;
        this.onClose = onClose;
    }

    Caller caller() {
        return caller;
    }

    Subscribers subscribers() {
        return subscribers;
    }

    LiveSubscriptions live() {
        return live;
    }

    /** The transport is ready: read the hello. */
    void opened(Transport transport) {
        this.transport = transport;
        demandNext();
    }

    /** Holds the slot {@link #demandNext} took for this frame; a request keeps it until its answer is sent. */
    void frame(byte[] bytes) {
        Frame frame;
        try {
            frame = Frames.decode(bytes);
        } catch (ArborException e) {
            refuse(ProtocolErrors.failure(0, e), Protocol.CLOSE_PROTOCOL_ERROR);
            return;
        }
        if (caller == null) {
            greet(frame);
            return;
        }
        if (frame instanceof Frame.Request request) {
            boolean fresh;
            synchronized (inFlight) {
                fresh = inFlight.add(request.id());
            }
            if (!fresh) {
                // Answering this one with a failure would give the id two answers (that one and the first request's);
                // closing answers neither, so the client's calls with that id fail "outcome unknown" and none twice.
                // Checked before its streams are made, so the running request's stream is left alone until the close.
                refuse(new Frame.Failure(0, 400, "bad_request", "request id " + request.id()
                        + " is already in flight on this connection: an id may be used again only after its answer"),
                        Protocol.CLOSE_PROTOCOL_ERROR);
                return;
            }
            // Made here, before the next frame is read, so an upload's first chunk always finds its request.
            boolean upload = request.args().path(Streaming.UPLOAD).asBoolean(false);
            RequestStreams streams = new RequestStreams(request.id(), this, this::slotFreed, upload,
                    upload && inbound.size() >= MAX_OPEN_STREAMS);
            if (streams.inboundOrNull() != null) {
                inbound.put(request.id(), streams.inboundOrNull());
            }
            Thread.ofVirtual().name("arbor-protocol-request").start(() -> {
                try {
                    Frame answer;
                    try {
                        // A stream waiting on its peer gives its worker back while it waits (RequestStreams#waiting).
                        answer = workers.run(lease -> answer(request, streams.working(lease)));
                    } finally {
                        // Forgotten before the answer goes, so a client that read it finds the stream's room free.
                        outbound.remove(request.id());
                        inbound.remove(request.id());
                    }
                    byte[] encoded = Frames.encode(answer); // outside the lock: it may be large
                    synchronized (inFlight) {
                        send(encoded);
                        inFlight.remove(request.id());
                    }
                } finally {
                    streams.releaseSlot();
                }
            });
            demandNext();
        } else if (frame instanceof Frame.Credit || frame instanceof Frame.Cancel || frame instanceof Frame.Chunk) {
            // Light frames: handled here at once, holding no slot, so a stream waiting on them never waits for a slot.
            switch (frame) {
                case Frame.Credit credit -> {
                    Outbound out = outbound.get(credit.id());
                    if (out != null) {
                        out.grant(credit.chunks());
                    }
                }
                case Frame.Cancel cancel -> {
                    Outbound out = outbound.get(cancel.id());
                    if (out != null) {
                        out.cancel();
                    }
                    Inbound in = inbound.get(cancel.id());
                    if (in != null) {
                        in.cancel();
                    }
                }
                case Frame.Chunk chunk -> {
                    Inbound in = inbound.get(chunk.id());
                    if (in != null) {
                        in.offer(chunk);
                    }
                }
                default -> { }
            }
            transport.demand();
        } else {
            refuse(new Frame.Failure(0, 400, "bad_request", "a client sends only requests after its hello, not "
                    + frame.getClass().getSimpleName()), Protocol.CLOSE_PROTOCOL_ERROR);
        }
    }

    /** Something that is no frame at all (a WebSocket text message): refused as a malformed frame is. */
    void notAFrame(String why) {
        refuse(new Frame.Failure(0, 400, "bad_request", why), Protocol.CLOSE_PROTOCOL_ERROR);
    }

    private void greet(Frame frame) {
        if (!(frame instanceof Frame.Hello hello)) {
            refuse(new Frame.Failure(0, 400, "bad_request", "the first frame must be a hello naming the protocol version"),
                    Protocol.CLOSE_PROTOCOL_ERROR);
            return;
        }
        if (hello.version() != Protocol.VERSION) {
            refuse(new Frame.Failure(0, 400, Protocol.UNSUPPORTED_VERSION, "this server speaks version " + Protocol.VERSION
                    + " of the Arbor protocol, not version " + hello.version()), Protocol.CLOSE_PROTOCOL_ERROR);
            return;
        }
        Caller accepted;
        try {
            accepted = login.caller(hello);
        } catch (ArborException e) {
            refuse(ProtocolErrors.failure(0, e), Protocol.CLOSE_POLICY_VIOLATION);
            return;
        }
        caller = accepted;
        send(new Frame.Welcome(Protocol.VERSION, accepted.user().name()));
        slotFreed();
        demandNext();
    }

    /**
     * Streams open at once on one connection, answers and uploads each. A stream waiting on its peer holds no in-flight
     * slot (what it waits for could not be read otherwise) but holds a thread and what its read holds (a snapshot, an
     * iterator), so their number is bounded apart.
     */
    static final int MAX_OPEN_STREAMS = 256;

    /** The stream of request {@code id}'s answer, found by its id while the request runs. */
    Outbound openOutbound(long id, RequestStreams.Waits waits) {
        // Checked, then added: a few over the bound when many open at once, which bounds them all the same.
        if (outbound.size() >= MAX_OPEN_STREAMS) {
            throw new ArborException.BadRequest("bad_request", "more than " + MAX_OPEN_STREAMS
                    + " streams are open on this connection: read or close some first");
        }
        Outbound out = new Outbound(id, this, waits);
        outbound.put(id, out);
        if (closed) {
            // Opened as the connection closed: the close may have missed it, and no credit will ever come.
            out.cancel();
        }
        return out;
    }

    private Frame answer(Frame.Request request, RequestStreams streams) {
        try {
            JsonNode result = dispatcher.dispatch(this, request, streams);
            return new Frame.Response(request.id(), result);
        } catch (ArborException e) {
            return ProtocolErrors.failure(request.id(), e);
        } catch (IllegalArgumentException e) {
            // A value the API's records refuse (a negative time to live, say): the caller's mistake, as a 400 is.
            return ProtocolErrors.failure(request.id(), new ArborException.BadRequest("bad_request", String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + request.op() + " failed", e);
            return ProtocolErrors.failure(request.id(), new ArborException.Internal(String.valueOf(e.getMessage()), e));
        }
    }

    /** A connection-level failure: said once, then the connection is closed with {@code code}. */
    private void refuse(Frame.Failure failure, int code) {
        transport.sendThenClose(Frames.encode(failure), code, failure.error());
    }

    /** Called from request and subscriber threads at once; the transport queues the frames. */
    void send(Frame frame) {
        send(Frames.encode(frame));
    }

    private void send(byte[] frame) {
        Transport t = transport;
        if (t != null) {
            t.send(frame);
        }
    }

    /**
     * A subscription's message, through the connection's {@link PushBuffer}: a client that leaves too many pushes
     * unread is cut (1008, saying so) instead of queued without bound. Its close frame waits behind what it does not
     * read, so the connection is dropped outright if it has not closed a moment later.
     */
    void push(Frame.Push frame) {
        Transport t = transport;
        if (t == null || cut.get()) {
            return;
        }
        byte[] bytes = Frames.encode(frame);
        if (!pushes.admit(bytes.length)) {
            if (!cut.compareAndSet(false, true)) {
                return; // being cut already
            }
            String reason = "slow consumer: " + pushes.unwritten() + " bytes of pushes unread";
            LOG.log(System.Logger.Level.INFO, "closing a protocol connection of {0}: {1}", caller.user().name(), reason);
            t.close(Protocol.CLOSE_POLICY_VIOLATION, reason);
            // Its subscriptions end now, not when a close handshake it does not read completes.
            Thread.ofVirtual().name("arbor-protocol-slow-consumer").start(() -> {
                subscribers.close();
                live.close();
                try {
                    Thread.sleep(SLOW_CONSUMER_CLOSE_GRACE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                t.abort();
            });
            return;
        }
        t.send(bytes, () -> pushes.release(bytes.length));
    }

    private void demandNext() {
        boolean demand;
        synchronized (this) {
            demand = free > 0;
            if (demand) {
                free--;
            } else {
                demandOwed = true;
            }
        }
        if (demand) {
            transport.demand();
        }
    }

    private void slotFreed() {
        boolean demand;
        synchronized (this) {
            demand = demandOwed;
            if (demand) {
                demandOwed = false;
            } else {
                free++;
            }
        }
        if (demand) {
            transport.demand();
        }
    }

    /** The transport closed, for whatever reason: the subscribers and the open streams end with it. */
    void closed() {
        closed = true;
        subscribers.close();
        live.close();
        outbound.values().forEach(Outbound::cancel);
        inbound.values().forEach(Inbound::cancel);
        onClose.run();
    }

    /** Closes from the server's side (it is stopping). */
    void close() {
        Transport t = transport;
        if (t != null) {
            t.close(1001, "server stopping");
        }
    }
}
