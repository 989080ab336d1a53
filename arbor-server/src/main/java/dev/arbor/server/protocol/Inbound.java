package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Streaming;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The bytes of one request's upload: the client's chunks ({@code {bytes}}), each answered by one chunk of credit as it
 * is taken, so the client is never more than a window ahead. An upload is one or more parts in the order the request
 * names them, each ended by a chunk {@code {end: true}}; {@link #nextPart} is the next one as an {@link InputStream},
 * read to its end before the one after it.
 *
 * <p>Threads: the transport's delivering thread offers chunks (never blocking: credit bounds the queue); the request's thread
 * reads. A read waiting for a chunk gives back the request's in-flight slot first, since the chunk can only be read off
 * the connection while a slot is free, and its request worker while it waits.
 */
final class Inbound {
    /** Put when the connection goes or the client cancels: every read after it fails. */
    private static final JsonNode GONE = MissingNode.getInstance();
    /** Put when the client sent more chunks than its credit allowed: every read after it fails. */
    private static final JsonNode OVERRUN = com.fasterxml.jackson.databind.node.TextNode.valueOf("overrun");

    private final long id;
    private final ProtocolConnection connection;
    private final LinkedBlockingQueue<JsonNode> chunks = new LinkedBlockingQueue<>();
    private final RequestStreams.Waits waits;
    /** The delivering thread only: the chunks received, and whether they ever outran the credit. */
    private long received;
    private boolean overrun;
    /** The chunks the client may have sent: the window, and one per credit granted (raised before the credit goes). */
    private final java.util.concurrent.atomic.AtomicLong granted = new java.util.concurrent.atomic.AtomicLong(Streaming.WINDOW);

    Inbound(long id, ProtocolConnection connection, RequestStreams.Waits waits) {
        this.id = id;
        this.connection = connection;
        this.waits = waits;
    }

    /** The delivering thread. A client sending past its credit would grow the queue without bound: its upload fails instead. */
    void offer(Frame.Chunk chunk) {
        if (overrun) {
            return;
        }
        if (++received > granted.get()) {
            overrun = true;
            chunks.add(OVERRUN);
            return;
        }
        chunks.add(chunk.data());
    }

    void cancel() {
        chunks.add(GONE);
    }

    /** The next part's bytes. */
    InputStream nextPart() {
        return new Part();
    }

    /** The next chunk, with one chunk of credit back to the client for it. */
    private JsonNode take() throws IOException {
        JsonNode chunk = chunks.poll();
        if (chunk == null) {
            waits.waiting();
            try {
                chunk = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the upload", e);
            } finally {
                waits.awake();
            }
        }
        if (chunk == GONE) {
            chunks.add(GONE);
            throw new IOException("the upload was cancelled or its connection closed before it ended");
        }
        if (chunk == OVERRUN) {
            chunks.add(OVERRUN);
            throw new IOException("the client sent more of the upload than its credit allowed (" + Streaming.WINDOW + " chunks ahead)");
        }
        granted.incrementAndGet();
        connection.send(new Frame.Credit(id, 1));
        return chunk;
    }

    /** One part: read by the request's thread only. */
    private final class Part extends InputStream {
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (!ended && position == current.length) {
                JsonNode chunk = take();
                if (chunk.path("end").asBoolean(false)) {
                    ended = true;
                } else {
                    byte[] bytes = chunk.path("bytes").binaryValue();
                    if (bytes == null) {
                        throw new IOException("an upload's chunk carries neither bytes nor its end");
                    }
                    current = bytes;
                    position = 0;
                }
            }
            if (position == current.length) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, into, offset, n);
            position += n;
            return n;
        }
    }
}
