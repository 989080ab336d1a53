package dev.arbor.server.protocol;

import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;
import dev.arbor.protocol.Protocol;
import dev.arbor.server.http.AccessControl;
import dev.arbor.server.http.UserCtx;
import dev.arbor.server.tls.ServerCertificate;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Arbor protocol over QUIC ({@code arbor://host:quic_port}), through Netty's QUIC codec on one UDP port. Each client
 * makes one QUIC connection (TLS 1.3, ALPN {@link Protocol#ALPN}) and opens one bidirectional stream on it, which
 * carries the frames as a 4-byte big-endian length and the frame's bytes: one stream, so the protocol behaves exactly as
 * over a WebSocket (the hello first, the in-flight limit applied by not reading the stream). The connection behind it is
 * the same {@link ProtocolConnection} the WebSocket endpoint makes ({@link ProtocolEndpoint#connect}), so operations,
 * authorization, limits and the server's stop are one code path for both transports.
 *
 * <p>Authentication: QUIC has no request to carry credentials, so the hello does ({@link Frame.Hello#user}); they are
 * checked by the same {@link AccessControl#authenticate} as a WebSocket's upgrade (Basic credentials, failed passwords
 * counted against the lockout), and refused the same way: one failure of id 0 and a close (1008).
 *
 * <p>Threads: one Netty event loop owns the UDP socket, every QUIC connection's state and their streams, and decodes the
 * frames; each connection is then called on a virtual thread of its own, one frame at a time ({@link QuicSession}), so
 * a slow login cannot stall the others. Requests run on virtual threads of their own and send from there; Netty hands
 * those writes to the event loop in order.
 */
public final class QuicEndpoint implements AutoCloseable {
    /** As the WebSocket endpoint's: subscribers may legitimately wait for messages for hours. */
    private static final Duration IDLE_TIMEOUT = Duration.ofHours(1);

    private final EventLoopGroup loop;
    private final Channel udp;
    private final int port;
    private final Set<QuicSession> sessions = ConcurrentHashMap.newKeySet();

    private QuicEndpoint(EventLoopGroup loop, Channel udp) {
        this.loop = loop;
        this.udp = udp;
        this.port = ((InetSocketAddress) udp.localAddress()).getPort();
    }

    /**
     * Listens on UDP {@code host:port} (0 picks a free port, {@link #port()} tells which), presenting {@code certificate}.
     *
     * @param maxFrameBytes the largest frame accepted, as the largest HTTP request body
     */
    public static QuicEndpoint start(ProtocolEndpoint protocol, AccessControl access, ServerCertificate certificate,
                                     String host, int port, long maxFrameBytes) throws InterruptedException {
        QuicSslContext tls = QuicSslContextBuilder.forServer(certificate.key(), null,
                        certificate.chain().toArray(new java.security.cert.X509Certificate[0]))
                .applicationProtocols(Protocol.ALPN)
                .build();
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("arbor-quic", true),
                NioIoHandler.newFactory());
        QuicEndpoint[] self = new QuicEndpoint[1];
        int maxFrame = (int) Math.min(Integer.MAX_VALUE - 4, maxFrameBytes);
        try {
            Channel udp = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                    .handler(new QuicServerCodecBuilder()
                            .sslContext(tls)
                            .maxIdleTimeout(IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .initialMaxData(64L << 20)
                            .initialMaxStreamDataBidirectionalRemote(16L << 20)
                            .initialMaxStreamDataBidirectionalLocal(16L << 20)
                            // One stream per connection: it carries every frame, in order.
                            .initialMaxStreamsBidirectional(1)
                            .initialMaxStreamsUnidirectional(0)
                            .handler(new ConnectionHandler())
                            .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                                @Override
                                protected void initChannel(QuicStreamChannel stream) {
                                    // Read only when the connection asks: the in-flight limit.
                                    stream.config().setAutoRead(false);
                                    QuicSession session = new QuicSession(stream, self[0].sessions, maxFrame);
                                    ProtocolConnection connection = protocol.connect(hello -> login(hello, protocol, access, stream.parent()));
                                    session.attach(connection);
                                    stream.pipeline().addLast(
                                            new LengthFieldBasedFrameDecoder(maxFrame, 0, 4, 0, 4),
                                            new LengthFieldPrepender(4),
                                            session);
                                }
                            })
                            .build())
                    .bind(host, port).sync().channel();
            self[0] = new QuicEndpoint(loop, udp);
            return self[0];
        } catch (InterruptedException | RuntimeException e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Who the hello's credentials are, as a WebSocket's upgrade request with the same Basic credentials would be. */
    private static Caller login(Frame.Hello hello, ProtocolEndpoint protocol, AccessControl access, QuicChannel quic) {
        String authorization = hello.user() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (hello.user() + ":" + (hello.password() == null ? "" : hello.password())).getBytes(StandardCharsets.UTF_8));
        SocketAddress peer = quic.remoteSocketAddress();
        String remote = peer instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : String.valueOf(peer);
        UserCtx user = access.authenticate(authorization, null, true, remote);
        return protocol.caller(user);
    }

    /** The QUIC connections' own pipeline has nothing to do: everything happens on their one stream. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    }

    /** The UDP port listened on (the actual one when asked for 0). */
    public int port() {
        return port;
    }

    /**
     * Closes every QUIC connection with 1001 "server stopping" (their clients' calls fail at once with it) and then the
     * port. Waits a moment for the closes to go out, never longer.
     */
    @Override
    public void close() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (QuicSession session : sessions) {
            closing.add(session.closeConnection(1001, "server stopping"));
        }
        for (ChannelFuture future : closing) {
            future.awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        udp.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * One stream as a {@link Transport}: frames decoded by the length prefix wait in {@code ready} until the connection
     * demands one, and the stream is read from the network only while a demand is unmet, so a client past its in-flight
     * limit is held by QUIC's flow control.
     *
     * <p>Threads: every field is the event loop's; calls from other threads are handed to it. The connection is called
     * on {@code delivery}, a single virtual thread per session, never on the event loop: the hello's login hashes a
     * password, which must not stall every other QUIC connection of the server; one thread keeps the calls one at a
     * time and in order, as the transport promises.
     */
    private static final class QuicSession extends ChannelInboundHandlerAdapter implements Transport {
        private final QuicStreamChannel stream;
        private final Set<QuicSession> sessions;
        private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
        private final int maxFrame;
        private final java.util.concurrent.ExecutorService delivery =
                java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofVirtual().name("arbor-quic-connection").factory());
        private ProtocolConnection connection;
        private int demanded;
        private boolean closed;

        QuicSession(QuicStreamChannel stream, Set<QuicSession> sessions, int maxFrame) {
            this.stream = stream;
            this.sessions = sessions;
            this.maxFrame = maxFrame;
        }

        void attach(ProtocolConnection connection) {
            this.connection = connection;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            sessions.add(this);
            delivery.execute(() -> connection.opened(this));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                ready.add(ByteBufUtil.getBytes(frame));
            } finally {
                frame.release();
            }
            deliver();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (demanded > 0 && ready.isEmpty()) {
                stream.read();
            }
        }

        /** On the event loop: hands over as many frames as are demanded, and reads on while a demand is unmet. */
        private void deliver() {
            while (demanded > 0 && !ready.isEmpty() && !closed) {
                demanded--;
                byte[] frame = ready.poll();
                delivery.execute(() -> connection.frame(frame));
            }
            if (demanded > 0 && ready.isEmpty() && !closed) {
                stream.read();
            }
        }

        @Override
        public void demand() {
            // Always handed to the event loop, which owns the count and the queue.
            stream.eventLoop().execute(() -> {
                demanded++;
                deliver();
            });
        }

        @Override
        public void send(byte[] frame) {
            if (stream.isActive()) {
                stream.writeAndFlush(Unpooled.wrappedBuffer(frame));
            }
        }

        @Override
        public void send(byte[] frame, Runnable done) {
            if (stream.isActive()) {
                stream.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(written -> done.run());
            } else {
                done.run();
            }
        }

        @Override
        public void sendThenClose(byte[] frame, int code, String reason) {
            stream.writeAndFlush(Unpooled.wrappedBuffer(frame))
                    .addListener(done -> closeConnection(code, reason));
        }

        @Override
        public void close(int code, String reason) {
            closeConnection(code, reason);
        }

        /** QUIC's close is already immediate (a CONNECTION_CLOSE, no handshake to wait for); this makes sure of it. */
        @Override
        public void abort() {
            if (!stream.eventLoop().isShuttingDown()) {
                stream.parent().close();
            }
        }

        ChannelFuture closeConnection(int code, String reason) {
            if (stream.eventLoop().isShuttingDown()) {
                // The endpoint has already closed every QUIC connection and its port.
                return stream.newSucceededFuture();
            }
            return stream.parent().close(true, code, Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!closed) {
                closed = true;
                sessions.remove(this);
                // After every frame already handed over; then the delivery thread ends.
                delivery.execute(connection::closed);
                delivery.shutdown();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                // Said as the WebSocket's message size limit is: the connection cannot resynchronise past it.
                sendThenClose(Frames.encode(new Frame.Failure(0, 413, "too_large", "a frame is at most " + maxFrame
                        + " bytes (the server's max_http_request_size)")), Protocol.CLOSE_PROTOCOL_ERROR, "too_large");
            } else {
                closeConnection(1011, "unexpected error");
            }
        }
    }
}
