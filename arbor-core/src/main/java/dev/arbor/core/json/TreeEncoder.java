package dev.arbor.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns JSON trees into bytes, one reusable buffer per thread. Every document is encoded once on the
 * write path (its stored body, hashed into its revision id), and Jackson's generator spent about 5 ns
 * a byte there: a generator and its context created per document, then every string copied to chars
 * and escaped through a general-purpose table. This writes the common node types (objects, arrays,
 * strings, booleans, null and the integer and decimal numbers the parser produces) straight into the
 * buffer, with a fast path for ASCII text.
 *
 * <p>The output is byte for byte what Jackson's {@code UTF8JsonGenerator} writes with Arbor's
 * configuration (revision hashes of stored bodies depend on it): the same escapes ({@code \"},
 * {@code \\}, {@code \b \t \n \f \r}, {@code \}{@code u00XX} with upper-case hex for other control
 * characters), no escaping of {@code /} or of non-ASCII text, which goes out as UTF-8 (a character
 * outside the BMP as its 4 bytes, as CouchDB writes it), and
 * {@link BigDecimal#toString()} for decimals. A tree holding anything else (a double or float node, a
 * big integer, binary or POJO nodes, an unpaired surrogate, deeper nesting than the parser allows) is
 * encoded again from the start by Jackson's generator, so rare inputs keep Jackson's exact behaviour,
 * errors included.
 *
 * <p>Threads: each instance belongs to the thread that {@link #acquire()}d it until {@link #release()};
 * a nested call on the same thread gets a fresh instance instead of the busy one.
 */
final class TreeEncoder {
    /** A buffer grown past this by one huge document is dropped after use, not kept by the thread. */
    private static final int RETAINED_BYTES = 1 << 20;

    private static final ThreadLocal<TreeEncoder> PER_THREAD = new ThreadLocal<>();

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** For each ASCII char: 0 written as is, -1 written as a 6-char unicode escape, else the letter after the backslash. */
    private static final int[] ESCAPES = new int[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = -1;
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
    }

    /** Thrown inside the fast path when the tree holds something only Jackson's generator writes. */
    private static final class NeedsGenerator extends RuntimeException {
        private static final NeedsGenerator INSTANCE = new NeedsGenerator();

        private NeedsGenerator() {
            super(null, null, false, false);
        }
    }

    private byte[] buf = new byte[1024];
    private int len;
    private boolean busy;

    static TreeEncoder acquire() {
        TreeEncoder encoder = PER_THREAD.get();
        if (encoder == null || encoder.busy) {
            encoder = new TreeEncoder();
            if (PER_THREAD.get() == null) {
                PER_THREAD.set(encoder);
            }
        }
        encoder.busy = true;
        return encoder;
    }

    void release() {
        busy = false;
        if (buf.length > RETAINED_BYTES && PER_THREAD.get() == this) {
            PER_THREAD.remove();
        }
    }

    /** The bytes of {@code node}; for an object, top-level members for which {@code skip} is true are left out. */
    byte[] encode(JsonNode node, Predicate<String> skip) throws IOException {
        len = 0;
        try {
            if (skip != null && node.isObject()) {
                writeObject(node, skip, 1);
            } else {
                writeValue(node, 0);
            }
            return Arrays.copyOf(buf, len);
        } catch (NeedsGenerator rare) {
            return withGenerator(node, skip);
        }
    }

    private static byte[] withGenerator(JsonNode node, Predicate<String> skip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(out)) {
            if (skip != null && node.isObject()) {
                gen.writeStartObject();
                for (var it = node.fields(); it.hasNext(); ) {
                    var field = it.next();
                    if (!skip.test(field.getKey())) {
                        gen.writeFieldName(field.getKey());
                        Json.write(field.getValue(), gen);
                    }
                }
                gen.writeEndObject();
            } else {
                Json.write(node, gen);
            }
        }
        return out.toByteArray();
    }

    private void writeValue(JsonNode node, int depth) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, null, depth + 1);
            case ARRAY -> {
                if (depth + 1 > Json.MAX_NESTING_DEPTH) {
                    throw NeedsGenerator.INSTANCE;
                }
                writeByte('[');
                boolean first = true;
                for (JsonNode element : node) {
                    if (!first) {
                        writeByte(',');
                    }
                    first = false;
                    writeValue(element, depth + 1);
                }
                writeByte(']');
            }
            case STRING -> writeString(node.textValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> writeAscii(Integer.toString(node.intValue()));
                    case LONG -> writeAscii(Long.toString(node.longValue()));
                    case BIG_DECIMAL -> writeAscii(((BigDecimal) node.numberValue()).toString());
                    default -> throw NeedsGenerator.INSTANCE;
                }
            }
            case BOOLEAN -> writeBytes(node.booleanValue() ? TRUE : FALSE);
            case NULL -> writeBytes(NULL);
            default -> throw NeedsGenerator.INSTANCE;
        }
    }

    private void writeObject(JsonNode node, Predicate<String> skip, int depth) {
        if (depth > Json.MAX_NESTING_DEPTH) {
            throw NeedsGenerator.INSTANCE;
        }
        writeByte('{');
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (skip != null && skip.test(field.getKey())) {
                continue;
            }
            if (!first) {
                writeByte(',');
            }
            first = false;
            writeString(field.getKey());
            writeByte(':');
            writeValue(field.getValue(), depth);
        }
        writeByte('}');
    }

    private void writeString(String s) {
        int n = s.length();
        // Worst case 6 bytes per char (a unicode escape); UTF-8 needs at most 3 per UTF-16 unit.
        ensure(n * 6 + 2);
        byte[] b = buf;
        int at = len;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                int escape = ESCAPES[c];
                if (escape == 0) {
                    b[at++] = (byte) c;
                } else if (escape > 0) {
                    b[at++] = '\\';
                    b[at++] = (byte) escape;
                } else {
                    b[at++] = '\\';
                    b[at++] = 'u';
                    b[at++] = '0';
                    b[at++] = '0';
                    b[at++] = HEX[c >> 4];
                    b[at++] = HEX[c & 0xF];
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                // Four bytes of UTF-8, as CouchDB writes it: CouchDB's replicator reads _changes with a parser
                // (json_stream_parse) that dies on an escaped surrogate pair, ending the replication.
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[at++] = (byte) (0xF0 | (cp >> 18));
                b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                // An unpaired surrogate: Jackson's generator decides what that is.
                throw NeedsGenerator.INSTANCE;
            }
        }
        b[at++] = '"';
        len = at;
    }

    /** Text known to be ASCII (number forms). */
    private void writeAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void writeByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
