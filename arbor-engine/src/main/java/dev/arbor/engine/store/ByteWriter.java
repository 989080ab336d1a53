package dev.arbor.engine.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends the compact binary forms of Arbor's stored records: varints, strings, raw bytes. Single-threaded. */
public final class ByteWriter {
    private byte[] buf;
    private int len;

    public ByteWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    ByteWriter writeByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    /** Unsigned LEB128. */
    public ByteWriter writeVarLong(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buf[len++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[len++] = (byte) value;
        return this;
    }

    ByteWriter writeLongBigEndian(long value) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[len++] = (byte) (value >>> (i * 8));
        }
        return this;
    }

    public ByteWriter writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    /** Length-prefixed bytes. */
    ByteWriter writeBlock(byte[] bytes) {
        writeVarLong(bytes.length);
        return writeBytes(bytes);
    }

    ByteWriter writeString(String s) {
        return writeBlock(s.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
