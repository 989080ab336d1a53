package dev.arbor.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads what {@link ByteWriter} wrote. Single-threaded. */
public final class ByteReader {
    private final byte[] buf;
    private int pos;

    public ByteReader(byte[] buf) {
        this(buf, 0);
    }

    public ByteReader(byte[] buf, int pos) {
        this.buf = buf;
        this.pos = pos;
    }

    int readByte() {
        return buf[pos++] & 0xFF;
    }

    public long readVarLong() {
        long result = 0;
        int shift = 0;
        while (true) {
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
            shift += 7;
        }
    }

    long readLongBigEndian() {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (buf[pos++] & 0xFF);
        }
        return value;
    }

    byte[] readBlock() {
        int n = (int) readVarLong();
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** Steps over what {@link #readBlock} would return, without copying it. */
    void skipBlock() {
        int n = (int) readVarLong();
        pos += n;
    }

    String readString() {
        int n = (int) readVarLong();
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** The rest of the buffer. */
    public byte[] readRemaining() {
        byte[] out = Arrays.copyOfRange(buf, pos, buf.length);
        pos = buf.length;
        return out;
    }

    boolean atEnd() {
        return pos >= buf.length;
    }
}
