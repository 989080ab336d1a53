package dev.arbor.server.protocol;

import dev.arbor.api.Storage;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Protocol;
import dev.arbor.protocol.ProtocolErrors;
import dev.arbor.server.http.AccessControl;
import dev.arbor.server.http.UserCtx;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Arbor protocol's endpoint ({@link Protocol#PATH}) on the server's HTTP port. The upgrade request is
 * authenticated once, by the server's {@link AccessControl} as any HTTP request (Basic auth or the session cookie,
 * failed passwords counted against the lockout): bad credentials get CouchDB's error in one failure frame and a close
 * ({@link RefusedConnection}), and otherwise the connection acts as that caller for its whole life, each operation
 * authorized as its HTTP route would be.
 *
 * <p>Every transport's connections are made here ({@link #connect}): this endpoint's WebSocket ones
 * ({@link WebSocketSession}) and {@link QuicEndpoint}'s, so the operations, their authorization and the limits are one
 * code path, and one stop closes them all.
 *
 * <p>Threads: Jetty's (virtual) threads run the upgrade and each connection's listener; requests and subscribers run
 * on virtual threads of their own ({@link ProtocolConnection}). The set of open connections is shared, for closing them
 * when the server stops.
 */
public final class ProtocolEndpoint implements AutoCloseable {
    /**
     * A connection that sends nothing for this long is closed. Long, because a subscriber may legitimately wait for
     * messages for hours; the client's own request timeout bounds what it waits for.
     */
    private static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

    private final Storage storage;
    private final AccessControl access;
    private final int requestLimit;
    private final long maxMessageBytes;
    private final RequestWorkers workers;
    private final long pushBufferBytes;
    private final Dispatcher dispatcher;
    private final Set<ProtocolConnection> connections = ConcurrentHashMap.newKeySet();
    /** Set when the server stops: clients reconnecting meanwhile are told so, and do not hold the stop up. */
    private volatile boolean stopping;

    /**
     * @param requestLimit    requests one connection may have running at once ({@code client_simultaneous_request_limit})
     * @param maxMessageBytes the largest frame accepted, as the largest HTTP request body
     */
    public ProtocolEndpoint(Storage storage, AccessControl access, int requestLimit, long maxMessageBytes) {
        this(storage, access, requestLimit, maxMessageBytes, DEFAULT_REQUEST_WORKERS, DEFAULT_PUSH_BUFFER_BYTES,
                new CustomApis().freeze());
    }

    /** The {@code request_workers} default: 16 per core, as many as 16 connections at their own limit on each core. */
    public static final int DEFAULT_REQUEST_WORKERS = 16 * Runtime.getRuntime().availableProcessors();
    /** The {@code client_push_buffer} default, 8 MiB: far more than a reading client ever leaves unwritten. */
    public static final long DEFAULT_PUSH_BUFFER_BYTES = 8L << 20;

    /**
     * @param requestWorkers  requests all connections together may have running at once ({@code request_workers});
     *                        more wait for one to finish
     * @param pushBufferBytes bytes of pushes one connection may leave unwritten before it is cut as a slow consumer
     *                        ({@code client_push_buffer})
     * @param apis            the custom APIs served, registered before the server started
     */
    public ProtocolEndpoint(Storage storage, AccessControl access, int requestLimit, long maxMessageBytes,
                            int requestWorkers, long pushBufferBytes, CustomApis apis) {
        this.dispatcher = new Dispatcher(apis.freeze());
        this.storage = storage;
        this.access = access;
        this.requestLimit = requestLimit;
        this.maxMessageBytes = maxMessageBytes;
        this.workers = new RequestWorkers(requestWorkers);
        this.pushBufferBytes = pushBufferBytes;
        if (pushBufferBytes < 1) {
            throw new IllegalArgumentException("client_push_buffer must be positive, not " + pushBufferBytes);
        }
    }

    /** {@code next} with WebSocket upgrades to {@link Protocol#PATH} taken here first; every other request goes on. */
    public Handler wrap(Server server, Handler next) {
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(IDLE_TIMEOUT);
            container.setMaxBinaryMessageSize(maxMessageBytes);
            container.addMapping(Protocol.PATH, this::accept);
        });
        upgrades.setHandler(next);
        return upgrades;
    }

    private Object accept(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        UserCtx user;
        try {
            user = access.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                    request.getHeaders().get(HttpHeader.COOKIE), request.isSecure(), Request.getRemoteAddr(request));
        } catch (ArborException e) {
            return new RefusedConnection(ProtocolErrors.failure(0, e));
        }
        if (stopping) {
            return stoppingRefusal();
        }
        Caller caller = caller(user);
        ProtocolConnection connection = connect(hello -> caller);
        if (stopping) {
            // The stop's close of every connection may have run before this one was counted.
            connections.remove(connection);
            return stoppingRefusal();
        }
        return new WebSocketSession(connection);
    }

    /**
     * A new connection acting as whom {@code login} says, counted among the open ones until it closes. Every
     * transport's connections come from here, so one server stop closes them all.
     */
    ProtocolConnection connect(ProtocolConnection.Login login) {
        ProtocolConnection[] self = new ProtocolConnection[1];
        self[0] = new ProtocolConnection(login, dispatcher, requestLimit, workers, new PushBuffer(pushBufferBytes),
                () -> connections.remove(self[0]));
        connections.add(self[0]);
        return self[0];
    }

    /** A 503: a reconnecting client takes it as "not now" and tries again later, as for a server it cannot reach. */
    private static RefusedConnection stoppingRefusal() {
        return new RefusedConnection(new dev.arbor.protocol.Frame.Failure(0, 503, "service_unavailable", "the server is stopping"));
    }

    /** {@code user} as a connection's caller, on this endpoint's storage and access control. */
    Caller caller(UserCtx user) {
        return new Caller(user, storage, access);
    }

    /** Closes every open connection (the server is stopping); their subscribers end with them. */
    @Override
    public void close() {
        stopping = true;
        connections.forEach(ProtocolConnection::close);
    }
}
