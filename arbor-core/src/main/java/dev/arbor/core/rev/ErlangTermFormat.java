package dev.arbor.core.rev;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Writes Erlang's external term format as {@code term_to_binary(Term, [{minor_version, 1}])} does, for the terms
 * CouchDB hashes into a revision id: atoms, integers of any size, floats, binaries, tuples and lists. The bytes go
 * into a growable buffer that {@link #reset} reuses; nothing is written elsewhere.
 *
 * <p>Lists are written without knowing their length up front ({@link #beginList}, {@link #endList}): the header is
 * patched at the end, and a list of nothing but integers 0..255 is rewritten as {@code STRING_EXT}, as the runtime
 * writes such a list (so the JSON array {@code [1,2,3]} is {@code "\1\2\3"} in the hashed bytes).
 */
final class ErlangTermFormat {
    static final int VERSION = 131;
    static final int NEW_FLOAT_EXT = 70;
    static final int SMALL_INTEGER_EXT = 97;
    static final int INTEGER_EXT = 98;
    static final int ATOM_EXT = 100;
    static final int SMALL_TUPLE_EXT = 104;
    static final int NIL_EXT = 106;
    static final int STRING_EXT = 107;
    static final int LIST_EXT = 108;
    static final int BINARY_EXT = 109;
    static final int SMALL_BIG_EXT = 110;
    static final int LARGE_BIG_EXT = 111;

    /** A list header: the tag and a 4-byte length. */
    private static final int LIST_HEADER = 5;
    private static final int MAX_STRING_EXT = 65535;

    private byte[] buf;
    private int len;

    ErlangTermFormat(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    void reset() {
        len = 0;
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    int capacity() {
        return buf.length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    void version() {
        put(VERSION);
    }

    /** An atom of latin-1 characters (all CouchDB hashes are {@code true} and {@code false}). */
    void atom(String name) {
        ensure(3 + name.length());
        buf[len++] = (byte) ATOM_EXT;
        putShort(name.length());
        for (int i = 0; i < name.length(); i++) {
            buf[len++] = (byte) name.charAt(i);
        }
    }

    void bool(boolean value) {
        atom(value ? "true" : "false");
    }

    void integer(long value) {
        if (value >= 0 && value <= 255) {
            ensure(2);
            buf[len++] = (byte) SMALL_INTEGER_EXT;
            buf[len++] = (byte) value;
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            ensure(5);
            buf[len++] = (byte) INTEGER_EXT;
            putInt((int) value);
        } else {
            // Magnitude of Long.MIN_VALUE is 2^63, which negate() keeps as an unsigned bit pattern.
            long magnitude = value < 0 ? -value : value;
            int n = (64 - Long.numberOfLeadingZeros(magnitude) + 7) / 8;
            ensure(3 + n);
            buf[len++] = (byte) SMALL_BIG_EXT;
            buf[len++] = (byte) n;
            buf[len++] = (byte) (value < 0 ? 1 : 0);
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) (magnitude >>> (8 * i));
            }
        }
    }

    void integer(BigInteger value) {
        if (value.bitLength() < 64) {
            integer(value.longValue());
            return;
        }
        byte[] magnitude = value.abs().toByteArray(); // big-endian, maybe with a leading zero byte
        int skip = magnitude[0] == 0 ? 1 : 0;
        int n = magnitude.length - skip;
        ensure(6 + n);
        if (n <= 255) {
            buf[len++] = (byte) SMALL_BIG_EXT;
            buf[len++] = (byte) n;
        } else {
            buf[len++] = (byte) LARGE_BIG_EXT;
            putInt(n);
        }
        buf[len++] = (byte) (value.signum() < 0 ? 1 : 0);
        for (int i = magnitude.length - 1; i >= skip; i--) {
            buf[len++] = magnitude[i];
        }
    }

    void floating(double value) {
        ensure(9);
        buf[len++] = (byte) NEW_FLOAT_EXT;
        long bits = Double.doubleToRawLongBits(value);
        putInt((int) (bits >>> 32));
        putInt((int) bits);
    }

    void binary(byte[] bytes) {
        binary(bytes, 0, bytes.length);
    }

    void binary(byte[] bytes, int offset, int length) {
        ensure(5 + length);
        buf[len++] = (byte) BINARY_EXT;
        putInt(length);
        System.arraycopy(bytes, offset, buf, len, length);
        len += length;
    }

    /** A binary of the UTF-8 encoding of {@code chars[offset, offset+count)}, encoded straight into the buffer. */
    void utf8Binary(char[] chars, int offset, int count) {
        ensure(5 + 3 * count);
        buf[len++] = (byte) BINARY_EXT;
        int lengthAt = len;
        len += 4;
        int start = len;
        int end = offset + count;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                buf[len++] = (byte) c;
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                int cp = Character.toCodePoint(c, chars[++i]);
                buf[len++] = (byte) (0xF0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                buf[len++] = '?'; // as String.getBytes(UTF_8) replaces a lone surrogate
            } else {
                buf[len++] = (byte) (0xE0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        putIntAt(lengthAt, len - start);
    }

    void tuple(int arity) {
        ensure(2);
        buf[len++] = (byte) SMALL_TUPLE_EXT;
        buf[len++] = (byte) arity;
    }

    void nil() {
        put(NIL_EXT);
    }

    /** A list of {@code count} elements, to be written next, and its tail: {@link #nil} unless empty. */
    void listHeader(int count) {
        if (count == 0) {
            nil();
            return;
        }
        ensure(LIST_HEADER);
        buf[len++] = (byte) LIST_EXT;
        putInt(count);
    }

    /** Starts a list whose length is not known yet; returns the mark {@link #endList} needs. */
    int beginList() {
        int mark = len;
        ensure(LIST_HEADER);
        len += LIST_HEADER;
        return mark;
    }

    /** The position the next element starts at: pass it to {@link #isByte} after writing the element. */
    int position() {
        return len;
    }

    /** Whether the element written from {@code elementStart} is an integer 0..255 (the only {@code SMALL_INTEGER_EXT}). */
    boolean isByte(int elementStart) {
        return buf[elementStart] == (byte) SMALL_INTEGER_EXT;
    }

    /**
     * Ends a list begun at {@code mark} holding {@code count} elements: {@code NIL_EXT} when empty, {@code STRING_EXT}
     * when every element was an integer 0..255 and there are at most 65535, else {@code LIST_EXT} with its tail.
     */
    void endList(int mark, int count, boolean allBytes) {
        if (count == 0) {
            len = mark;
            nil();
        } else if (allBytes && count <= MAX_STRING_EXT) {
            int from = mark + LIST_HEADER;
            buf[mark] = (byte) STRING_EXT;
            buf[mark + 1] = (byte) (count >>> 8);
            buf[mark + 2] = (byte) count;
            int to = mark + 3;
            for (int i = 0; i < count; i++) {
                buf[to + i] = buf[from + 2 * i + 1];
            }
            len = to + count;
        } else {
            buf[mark] = (byte) LIST_EXT;
            putIntAt(mark + 1, count);
            nil();
        }
    }

    private void put(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void putShort(int v) {
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putInt(int v) {
        putIntAt(len, v);
        len += 4;
    }

    private void putIntAt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
