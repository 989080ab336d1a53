package dev.arbor.server.protocol;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards connections to the server; from the server to the client it passes the upgrade's response as it is,
 * then WebSocket frame by frame (a server's frames are unmasked), so a test can damage one frame of a real server's:
 * write the next binary frame twice, or half of it and then end the stream (a FIN, no reset), as a middle box that
 * gives up mid-message would.
 */
final class FrameRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean repeatNext;
    private volatile boolean cutNext;

    FrameRelay(int serverPort) throws IOException {
        listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                    open.add(client);
                    open.add(upstream);
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> copy(client, upstream));
                    Thread.ofVirtual().start(() -> frames(upstream, client));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    int port() {
        return listener.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    void repeatNextFrame() {
        repeatNext = true;
    }

    void cutNextFrameMidway() {
        cutNext = true;
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException gone) {
            // either side closed
        } finally {
            closeBoth(from, to);
        }
    }

    private void frames(Socket from, Socket to) {
        try {
            DataInputStream in = new DataInputStream(from.getInputStream());
            OutputStream out = to.getOutputStream();
            passUpgradeResponse(in, out);
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                int shortLength = second & 0x7F;
                byte[] extended = new byte[shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0];
                in.readFully(extended);
                long length = shortLength;
                if (extended.length > 0) {
                    length = 0;
                    for (byte b : extended) {
                        length = length << 8 | (b & 0xFF);
                    }
                }
                byte[] payload = new byte[Math.toIntExact(length)];
                in.readFully(payload);
                boolean binary = (first & 0x0F) == 2;
                if (binary && cutNext) {
                    cutNext = false;
                    out.write(first);
                    out.write(second);
                    out.write(extended);
                    out.write(payload, 0, payload.length / 2);
                    out.flush();
                    to.shutdownOutput(); // the client's socket stays open: nothing but the end of its stream says it is over
                    from.close();
                    return;
                }
                int times = binary && repeatNext ? 2 : 1;
                if (times == 2) {
                    repeatNext = false;
                }
                for (int i = 0; i < times; i++) {
                    out.write(first);
                    out.write(second);
                    out.write(extended);
                    out.write(payload);
                }
                out.flush();
            }
        } catch (IOException gone) {
            closeBoth(from, to); // either side closed
        }
    }

    /** The HTTP response to the upgrade: its lines up to the blank one. */
    private static void passUpgradeResponse(InputStream in, OutputStream out) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade");
            }
            out.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        out.flush();
    }

    private static void closeBoth(Socket a, Socket b) {
        try {
            a.close();
            b.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
