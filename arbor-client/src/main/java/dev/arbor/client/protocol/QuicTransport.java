package dev.arbor.client.protocol;

import dev.arbor.client.http.PinnedCertificate;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.DefaultThreadFactory;

import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Frames over QUIC ({@code arbor://host:port}, the server's {@code quic_port}), through Netty's QUIC codec: one QUIC
 * connection per client, TLS 1.3 with ALPN {@link Protocol#ALPN}, and every frame as a 4-byte big-endian length and its bytes
 * on one bidirectional stream the client opens. One stream keeps the protocol exactly as over a WebSocket (the hello
 * first, pushes and answers in the order the server sends them, the server's in-flight limit applied by not reading the
 * stream); requests do not wait on each other's answers, since the server answers them in any order anyway.
 *
 * <p>The server's certificate is checked against the JDK's trust store and the URL's host name, unless the URL's query
 * says otherwise: {@code pin=<SHA-256 fingerprint>} accepts that one certificate only ({@link PinnedCertificate}, for a
 * server's self-signed one), {@code trust=<PEM file>} the authorities in the file. Credentials in the URL go in the
 * hello, as QUIC has no request of its own to carry them.
 *
 * <p>Threads: one Netty event loop per connection owns the UDP socket, the QUIC state and the stream; it delivers
 * frames to the listener one at a time. Sends from any thread are handed to it and leave in the order of the calls.
 */
final class QuicTransport implements Transport {
    static final String SCHEME = "arbor";
    /** The largest frame this client reads from a server: far above any answer, below what would exhaust the heap. */
    private static final int MAX_FRAME_BYTES = 256 << 20;

    private final EventLoopGroup loop;
    private final Channel udp;
    private final QuicChannel quic;
    private final QuicStreamChannel stream;

    private QuicTransport(EventLoopGroup loop, Channel udp, QuicChannel quic, QuicStreamChannel stream) {
        this.loop = loop;
        this.udp = udp;
        this.quic = quic;
        this.stream = stream;
    }

    /** The hello for {@code location}: the protocol's version, and the URL's credentials if it has any. */
    static Frame.Hello hello(URI location) {
        String info = location.getRawUserInfo();
        if (info == null) {
            return new Frame.Hello(Protocol.VERSION);
        }
        int colon = info.indexOf(':');
        String user = decode(colon < 0 ? info : info.substring(0, colon));
        String password = colon < 0 ? "" : decode(info.substring(colon + 1));
        return new Frame.Hello(Protocol.VERSION, user, password);
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static QuicTransport open(URI location, URI server, Duration timeout, Listener listener) {
        java.util.concurrent.atomic.AtomicReference<String> distrust = new java.util.concurrent.atomic.AtomicReference<>();
        QuicSslContext tls = tls(location, distrust);
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("arbor-quic-client", true), NioIoHandler.newFactory());
        Channel udp = null;
        try {
            udp = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                    .handler(new QuicClientCodecBuilder()
                            .sslContext(tls)
                            // The server closes idle connections itself (after an hour); a lost server is noticed by
                            // the requests' own timeout, and QUIC's idle timer only ends what is truly silent.
                            .maxIdleTimeout(Duration.ofHours(1).toMillis(), TimeUnit.MILLISECONDS)
                            .initialMaxData(64L << 20)
                            .initialMaxStreamDataBidirectionalLocal(16L << 20)
                            .initialMaxStreamDataBidirectionalRemote(16L << 20)
                            .initialMaxStreamsBidirectional(1)
                            .build())
                    .bind(0).sync().channel();
            CloseWatch watch = new CloseWatch(server, listener);
            QuicChannel quic = QuicChannel.newBootstrap(udp)
                    .handler(watch)
                    .remoteAddress(new InetSocketAddress(server.getHost(), server.getPort()))
                    .connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            QuicStreamChannel stream = quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
                @Override
                protected void initChannel(QuicStreamChannel channel) {
                    channel.pipeline().addLast(
                            new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, 0, 4, 0, 4),
                            new LengthFieldPrepender(4),
                            new Frames(listener));
                }
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new QuicTransport(loop, udp, quic, stream);
        } catch (ExecutionException e) {
            shutdown(loop, udp);
            // BoringSSL reports a refused certificate only as CERTIFICATE_VERIFY_FAILED; the trust manager said why.
            String why = distrust.get() != null ? "the server's certificate is not trusted: " + distrust.get() : describe(e.getCause());
            throw new ArborException.Internal("cannot connect to " + server + " over QUIC: " + why, e.getCause());
        } catch (TimeoutException e) {
            shutdown(loop, udp);
            throw new ArborException.Internal("no QUIC connection to " + server + " within " + timeout, e);
        } catch (InterruptedException e) {
            shutdown(loop, udp);
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while connecting to " + server, e);
        } catch (RuntimeException e) {
            shutdown(loop, udp);
            throw e;
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** TLS 1.3 with ALPN {@link Protocol#ALPN}, trusting what the URL's query says (see the class comment). */
    private static QuicSslContext tls(URI location, java.util.concurrent.atomic.AtomicReference<String> distrust) {
        String pin = query(location, "pin");
        String trust = query(location, "trust");
        QuicSslContextBuilder builder = QuicSslContextBuilder.forClient().applicationProtocols(Protocol.ALPN);
        if (pin != null) {
            // The pin names the server; its certificate's names need not match the address dialled.
            builder.trustManager(new Recording(new PinnedCertificate(pin), distrust));
        } else {
            builder.trustManager(new Recording(new AuthorityTrust(trust != null ? trustStore(Path.of(trust)) : jdkTrust(),
                    location.getHost()), distrust));
        }
        return builder.build();
    }

    private static TrustManagerFactory jdkTrust() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's trust store cannot be read: " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustStore(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("trusted-" + n++, certificate);
            }
            if (n == 0) {
                throw new IllegalArgumentException("the trust file " + pem + " holds no certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the trust file " + pem + ": " + e.getMessage(), e);
        }
    }

    /** One query parameter's decoded value, or null. */
    private static String query(URI location, String name) {
        String raw = location.getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    @Override
    public CompletableFuture<?> send(byte[] frame) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        // writeAndFlush from any thread is queued on the event loop in call order.
        stream.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(done -> {
            if (done.isSuccess()) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(done.cause());
            }
        });
        return sent;
    }

    /**
     * No pings ({@link Transport#pings} false): Netty's QUIC offers no ping to send, and quiche sends no keep-alive, so a
     * quiet connection (a subscriber between messages) hears nothing and must not be taken for dead. QUIC finds a lost
     * peer itself once something is sent (its acknowledgements and loss detection, then its idle timer), and a call
     * fails on its own timeout; unlike the JDK's WebSocket, a QUIC stream is never left cut off mid-frame unnoticed.
     */
    @Override
    public void close(int code, String reason) {
        try {
            quic.close(true, code, Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8)).await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdown(loop, udp);
        }
    }

    private static void shutdown(EventLoopGroup loop, Channel udp) {
        if (udp != null) {
            udp.close();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** A trust manager that remembers why it refused the server, for the connection's error. */
    private static final class Recording extends javax.net.ssl.X509ExtendedTrustManager {
        private final javax.net.ssl.X509ExtendedTrustManager trust;
        private final java.util.concurrent.atomic.AtomicReference<String> distrust;

        Recording(javax.net.ssl.X509ExtendedTrustManager trust, java.util.concurrent.atomic.AtomicReference<String> distrust) {
            this.trust = trust;
            this.distrust = distrust;
        }

        private void check(java.security.cert.X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            try {
                trust.checkServerTrusted(chain, authType);
            } catch (java.security.cert.CertificateException e) {
                distrust.set(e.getMessage());
                throw e;
            }
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            check(chain, authType);
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType, java.net.Socket socket)
                throws java.security.cert.CertificateException {
            check(chain, authType);
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
                throws java.security.cert.CertificateException {
            check(chain, authType);
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType, java.net.Socket socket)
                throws java.security.cert.CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
                throws java.security.cert.CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }

    /** The stream's frames, whole, to the listener: on the event loop, one at a time. */
    private static final class Frames extends ChannelInboundHandlerAdapter {
        private final Listener listener;

        Frames(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                listener.frame(ByteBufUtil.getBytes(frame));
            } finally {
                frame.release();
            }
        }
    }

    /**
     * The QUIC connection's end, told once: with the server's code and reason when it closed the connection (1001
     * "server stopping", say), or as a failure.
     */
    private static final class CloseWatch extends ChannelInboundHandlerAdapter {
        private final URI server;
        private final Listener listener;
        /** Written and read on the event loop only. */
        private QuicConnectionCloseEvent closeEvent;

        CloseWatch(URI server, Listener listener) {
            this.server = server;
            this.listener = listener;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof QuicConnectionCloseEvent close) {
                closeEvent = close;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            QuicConnectionCloseEvent close = closeEvent;
            String why = close == null ? "" : " (" + close.error()
                    + (close.reason() == null || close.reason().length == 0 ? "" : " " + new String(close.reason(), StandardCharsets.UTF_8))
                    + ")";
            listener.ended(new ArborException.Internal("the connection to " + server + " closed" + why, null));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            listener.ended(new ArborException.Internal("the connection to " + server + " failed: " + describe(cause), cause));
        }
    }
}
