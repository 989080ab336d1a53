package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;
import dev.arbor.protocol.Protocol;
import dev.arbor.protocol.ProtocolErrors;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.nio.ByteBuffer;

/**
 * One client's WebSocket connection. Jetty calls the listener methods one at a time per connection; each request then
 * runs on a virtual thread of its own and sends its answer when done, in whatever order they finish.
 *
 * <p>In-flight limit: a frame is read only while fewer than {@code limit} requests run. The listener demands the next
 * frame itself ({@code Session.demand}) when a slot is free, or leaves the demand to the request that frees one, so a
 * client that pipelines more waits in its own TCP buffers instead of piling threads up here.
 *
 * <p>Public only because Jetty calls the listener methods through method handles; nothing else may construct one.
 */
public final class ProtocolConnection implements Session.Listener {
    private static final System.Logger LOG = System.getLogger("dev.arbor.server.protocol");
    /** How long a slow consumer's close may wait behind its unread frames before the connection is dropped. */
    private static final long SLOW_CONSUMER_CLOSE_GRACE_MILLIS = 1000;

    private final Caller caller;
    private final Dispatcher dispatcher;
    private final Runnable onClose;
    private final RequestWorkers workers;
    private final PushBuffer pushes;
    /** Set once, by the subscriber thread that finds the push buffer full. */
    private final java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
    private final Subscribers subscribers = new Subscribers(this::push);
    private final LiveSubscriptions live = new LiveSubscriptions(this::push);
    /** Guarded by {@code this}: free request slots, and whether a frame is owed a demand once one frees. */
    private int free;
    private boolean demandOwed;
    /** Set on open by Jetty's thread, read by request threads. */
    private volatile Session session;
    /** Written and read by Jetty's listener calls only, which never overlap. */
    private boolean greeted;
    /**
     * Guarded by itself: the ids of the requests running now. Jetty's thread adds one as its frame arrives; the
     * request's thread removes it in the same critical section as it hands the answer to Jetty, so an id is free
     * exactly once its answer is on its way, and a correct client (which reuses an id only after reading the answer)
     * is never refused.
     */
    private final java.util.Set<Long> inFlight = new java.util.HashSet<>();

    ProtocolConnection(Caller caller, Dispatcher dispatcher, int limit, RequestWorkers workers, PushBuffer pushes,
                       Runnable onClose) {
        this.caller = caller;
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

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        demandNext();
    }

    /** Holds the slot {@link #demandNext} took for this frame; a request keeps it until its answer is sent. */
    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        Frame frame;
        try {
            frame = Frames.decode(bytes);
        } catch (ArborException e) {
            refuse(ProtocolErrors.failure(0, e));
            return;
        }
        if (!greeted) {
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
                refuse(new Frame.Failure(0, 400, "bad_request", "request id " + request.id()
                        + " is already in flight on this connection: an id may be used again only after its answer"));
                return;
            }
            Thread.ofVirtual().name("arbor-ws-request").start(() -> {
                try {
                    byte[] answer = Frames.encode(workers.run(() -> answer(request))); // outside the lock: it may be large
                    synchronized (inFlight) {
                        send(answer);
                        inFlight.remove(request.id());
                    }
                } finally {
                    slotFreed();
                }
            });
            demandNext();
        } else {
            refuse(new Frame.Failure(0, 400, "bad_request", "a client sends only requests after its hello, not "
                    + frame.getClass().getSimpleName()));
        }
    }

    @Override
    public void onWebSocketText(String message) {
        refuse(new Frame.Failure(0, 400, "bad_request", "the Arbor protocol speaks binary CBOR frames, not text"));
    }

    private void greet(Frame frame) {
        if (!(frame instanceof Frame.Hello hello)) {
            refuse(new Frame.Failure(0, 400, "bad_request", "the first frame must be a hello naming the protocol version"));
            return;
        }
        if (hello.version() != Protocol.VERSION) {
            refuse(new Frame.Failure(0, 400, Protocol.UNSUPPORTED_VERSION, "this server speaks version " + Protocol.VERSION
                    + " of the Arbor protocol, not version " + hello.version()));
            return;
        }
        greeted = true;
        send(new Frame.Welcome(Protocol.VERSION, caller.user().name()));
        slotFreed();
        demandNext();
    }

    private Frame answer(Frame.Request request) {
        try {
            JsonNode result = dispatcher.dispatch(this, request.op(), request.args());
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

    /** A connection-level failure: said once, then the connection is closed. */
    private void refuse(Frame.Failure failure) {
        Session s = session;
        s.sendBinary(ByteBuffer.wrap(Frames.encode(failure)), Callback.from(
                () -> s.close(Protocol.CLOSE_PROTOCOL_ERROR, failure.error(), Callback.NOOP),
                x -> s.disconnect()));
    }

    /** Called from request and subscriber threads at once; Jetty queues the frames. */
    void send(Frame frame) {
        send(Frames.encode(frame));
    }

    private void send(byte[] frame) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendBinary(ByteBuffer.wrap(frame), Callback.NOOP);
        }
    }

    /**
     * A subscription's message, through the connection's {@link PushBuffer}: a client that leaves too many pushes
     * unread is cut (1008, saying so) instead of queued without bound. Its close frame waits behind what it does not
     * read, so the connection is dropped outright if it has not closed a moment later.
     */
    void push(Frame.Push frame) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        byte[] bytes = Frames.encode(frame);
        if (!pushes.admit(bytes.length)) {
            if (!cut.compareAndSet(false, true)) {
                return; // being cut already
            }
            String reason = "slow consumer: " + pushes.unwritten() + " bytes of pushes unread";
            LOG.log(System.Logger.Level.INFO, "closing a protocol connection of {0}: {1}", caller.user().name(), reason);
            s.close(Protocol.CLOSE_POLICY_VIOLATION, reason, Callback.NOOP);
            // Its subscriptions end now, not when a close handshake it does not read completes.
            Thread.ofVirtual().name("arbor-ws-slow-consumer").start(() -> {
                subscribers.close();
                try {
                    Thread.sleep(SLOW_CONSUMER_CLOSE_GRACE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                s.disconnect();
            });
            return;
        }
        s.sendBinary(ByteBuffer.wrap(bytes), Callback.from(() -> pushes.release(bytes.length),
                failed -> pushes.release(bytes.length)));
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
            session.demand();
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
            session.demand();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        subscribers.close();
        live.close();
        onClose.run();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "protocol connection failed", cause);
    }

    /** Closes from the server's side (it is stopping). */
    void close() {
        Session s = session;
        if (s != null) {
            s.close(1001, "server stopping", Callback.NOOP);
        }
    }
}
