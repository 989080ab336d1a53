package dev.arbor.server.protocol;

import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;
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
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare QUIC client of the protocol, to send what the Java client never would and read each frame back: one stream,
 * length-prefixed frames, the server's certificate pinned. {@link #closed} completes with the server's close code.
 */
final class RawQuicClient implements AutoCloseable {
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private QuicChannel quic;
    private QuicStreamChannel stream;

    static RawQuicClient connect(int port, String fingerprint) throws Exception {
        RawQuicClient raw = new RawQuicClient();
        Channel udp = new Bootstrap().group(raw.loop).channel(NioDatagramChannel.class)
                .handler(new QuicClientCodecBuilder()
                        .sslContext(QuicSslContextBuilder.forClient()
                                .trustManager(new dev.arbor.client.http.PinnedCertificate(fingerprint))
                                .applicationProtocols(Protocol.ALPN).build())
                        .maxIdleTimeout(30, TimeUnit.SECONDS)
                        .initialMaxData(1 << 20).initialMaxStreamDataBidirectionalLocal(1 << 20)
                        .build())
                .bind(0).sync().channel();
        raw.quic = QuicChannel.newBootstrap(udp)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                        if (event instanceof QuicConnectionCloseEvent close) {
                            raw.closed.complete(close.error());
                        }
                    }
                })
                .remoteAddress(new InetSocketAddress("127.0.0.1", port))
                .connect().get(10, TimeUnit.SECONDS);
        raw.stream = raw.quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel channel) {
                channel.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 24, 0, 4, 0, 4), new LengthFieldPrepender(4),
                        new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf frame = (ByteBuf) msg;
                                raw.frames.add(Frames.decode(ByteBufUtil.getBytes(frame)));
                                frame.release();
                            }
                        });
            }
        }).get(10, TimeUnit.SECONDS);
        return raw;
    }

    void send(Frame frame) throws Exception {
        sendBytes(Frames.encode(frame));
    }

    /** Any bytes as one length-prefixed frame. */
    void sendBytes(byte[] bytes) throws Exception {
        stream.writeAndFlush(Unpooled.wrappedBuffer(bytes)).get(10, TimeUnit.SECONDS);
    }

    /** {@code bytes} as they are, with no length of their own: the start of a frame whose length they may claim. */
    void sendUnframed(byte[] bytes) throws Exception {
        // Written from the prepender's place in the pipeline, so it is skipped.
        stream.pipeline().context(LengthFieldPrepender.class).writeAndFlush(Unpooled.wrappedBuffer(bytes)).get(10, TimeUnit.SECONDS);
    }

    Frame next() throws InterruptedException {
        Frame frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return frame;
    }

    @Override
    public void close() {
        if (quic != null) {
            quic.close();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
