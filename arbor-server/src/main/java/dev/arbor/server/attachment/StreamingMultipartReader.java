package dev.arbor.server.attachment;

import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a MIME multipart body part by part, each part's content as a stream, holding no more than one
 * read buffer of it: Jetty's {@link MultiPart.Parser} (a push parser, any multipart subtype) is fed
 * from the body only when the current part's reader needs more bytes.
 *
 * <p>Not thread-safe; one reader per request body.
 */
final class StreamingMultipartReader implements AutoCloseable {
    private static final int READ_SIZE = 64 * 1024;

    /** One part: its headers (names lower-cased) and its content, readable until the next part is asked for. */
    record Part(Map<String, String> headers, InputStream content) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private sealed interface Event {
        record Header(String name, String value) implements Event {}
        record HeadersDone() implements Event {}
        record Bytes(byte[] data) implements Event {}
        record PartEnd() implements Event {}
        record Complete() implements Event {}
        record Failed(Throwable cause) implements Event {}
    }

    private final InputStream body;
    private final MultiPart.Parser parser;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private boolean bodyEnded;
    private boolean complete;
    private PartStream current;

    /** @param contentType the body's {@code Content-Type}, carrying its {@code boundary} */
    StreamingMultipartReader(InputStream body, String contentType) throws IOException {
        String boundary;
        try {
            boundary = contentType == null ? null : MultiPart.extractBoundary(contentType);
        } catch (IllegalArgumentException e) {
            // Jetty throws this for a client's malformed header (boundary="abc, an unterminated quote; found by
            // StreamingMultipartReaderFuzzTest): the client's 400, not a 500.
            throw new IOException("malformed multipart Content-Type: " + e.getMessage(), e);
        }
        if (boundary == null || boundary.isEmpty()) {
            throw new IOException("multipart Content-Type without a boundary");
        }
        this.body = body;
        this.parser = new MultiPart.Parser(boundary, new MultiPart.Parser.Listener() {
            @Override
            public void onPartHeader(String name, String value) {
                events.add(new Event.Header(name, value));
            }

            @Override
            public void onPartHeaders() {
                events.add(new Event.HeadersDone());
            }

            @Override
            public void onPartContent(Content.Chunk chunk) {
                ByteBuffer buffer = chunk.getByteBuffer();
                if (buffer.hasRemaining()) {
                    // Copied: the parser may hand out views of its own buffers that it reuses.
                    byte[] copy = new byte[buffer.remaining()];
                    buffer.slice().get(copy);
                    events.add(new Event.Bytes(copy));
                }
            }

            @Override
            public void onPartEnd() {
                events.add(new Event.PartEnd());
            }

            @Override
            public void onComplete() {
                events.add(new Event.Complete());
            }

            @Override
            public void onFailure(Throwable failure) {
                events.add(new Event.Failed(failure));
            }
        });
    }

    /** The next part, or null after the closing delimiter. Whatever was left of the previous part is skipped. */
    Part nextPart() throws IOException {
        if (current != null) {
            current.drain();
            current = null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        while (true) {
            Event event = nextEvent();
            switch (event) {
                case Event.Header(String name, String value) -> headers.put(name.toLowerCase(Locale.ROOT), value);
                case Event.HeadersDone() -> {
                    current = new PartStream();
                    return new Part(Collections.unmodifiableMap(headers), current);
                }
                case Event.Complete() -> {
                    return null;
                }
                case Event.Bytes b -> throw new IOException("multipart content outside a part");
                case Event.PartEnd() -> throw new IOException("multipart part ended before its headers");
                case Event.Failed(Throwable cause) -> throw failure(cause);
            }
        }
    }

    /** Skips the rest of the body, so the connection can carry the response and further requests. */
    @Override
    public void close() throws IOException {
        current = null;
        events.clear();
        body.transferTo(OutputStream.nullOutputStream());
    }

    private Event nextEvent() throws IOException {
        while (events.isEmpty()) {
            if (complete) {
                return new Event.Complete();
            }
            if (bodyEnded) {
                throw new EOFException("multipart body ended before its closing delimiter");
            }
            fill();
        }
        Event event = events.poll();
        if (event instanceof Event.Complete) {
            complete = true;
        }
        return event;
    }

    private void fill() throws IOException {
        byte[] buffer = new byte[READ_SIZE];
        int n = body.read(buffer);
        if (n < 0) {
            bodyEnded = true;
            parser.parse(Content.Chunk.EOF);
        } else {
            parser.parse(Content.Chunk.from(ByteBuffer.wrap(buffer, 0, n), false));
        }
    }

    private static IOException failure(Throwable cause) {
        return cause instanceof IOException io ? io : new IOException("malformed multipart body: " + cause.getMessage(), cause);
    }

    /** The content of the current part, pulled from the parser's events. */
    private final class PartStream extends InputStream {
        private byte[] data = new byte[0];
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos >= data.length) {
                if (ended || current != this) {
                    return -1;
                }
                switch (nextEvent()) {
                    case Event.Bytes(byte[] bytes) -> {
                        data = bytes;
                        pos = 0;
                    }
                    case Event.PartEnd() -> ended = true;
                    case Event.Failed(Throwable cause) -> throw failure(cause);
                    case Event.Complete() -> throw new EOFException("multipart body completed inside a part");
                    case Event.Header h -> throw new IOException("multipart header inside a part's content");
                    case Event.HeadersDone() -> throw new IOException("multipart headers inside a part's content");
                }
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, buffer, off, n);
            pos += n;
            return n;
        }

        void drain() throws IOException {
            byte[] skip = new byte[8192];
            while (read(skip, 0, skip.length) >= 0) {
                // discard
            }
        }
    }
}
