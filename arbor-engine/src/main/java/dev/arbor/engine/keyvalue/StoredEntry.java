package dev.arbor.engine.keyvalue;

import dev.arbor.api.keyvalue.Numeric;
import dev.arbor.api.keyvalue.Value;
import dev.arbor.core.error.ArborException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A stored key-value entry: its value and when it expires. Stored as one kind byte, the expiry
 * (epoch milliseconds, 8 bytes big-endian, {@link #NEVER} for none), then the value's bytes.
 */
record StoredEntry(Value value, long expiresAt) {
    static final long NEVER = 0;

    private static final byte BYTES = 0;
    private static final byte TEXT = 1;
    private static final byte INTEGER = 2;
    private static final byte FLOAT = 3;
    private static final byte JSON = 4;
    private static final int HEADER = 9;

    boolean expires() {
        return expiresAt != NEVER;
    }

    /** Alive at {@code now}: never expiring, or expiring strictly later. */
    boolean aliveAt(long now) {
        return expiresAt == NEVER || expiresAt > now;
    }

    /** Epoch milliseconds as an expiry: clamped to at least 1, since 0 means "never". */
    static long expiry(long epochMillis) {
        return Math.max(1, epochMillis);
    }

    byte[] encode() {
        byte kind;
        byte[] payload;
        switch (value) {
            case Value.Bytes b -> { kind = BYTES; payload = b.bytes(); }
            case Value.Text t -> { kind = TEXT; payload = t.text().getBytes(StandardCharsets.UTF_8); }
            case Numeric.Integer i -> { kind = INTEGER; payload = ByteBuffer.allocate(8).putLong(i.value()).array(); }
            case Numeric.Float f -> { kind = FLOAT; payload = ByteBuffer.allocate(8).putLong(Double.doubleToRawLongBits(f.value())).array(); }
            case Value.Json j -> { kind = JSON; payload = j.json(); }
        }
        return ByteBuffer.allocate(HEADER + payload.length).put(kind).putLong(expiresAt).put(payload).array();
    }

    /** The entry stored as {@code bytes}, or null for null. */
    static StoredEntry decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte kind = in.get();
        long expiresAt = in.getLong();
        byte[] payload = Arrays.copyOfRange(bytes, HEADER, bytes.length);
        Value value = switch (kind) {
            case BYTES -> new Value.Bytes(payload);
            case TEXT -> new Value.Text(new String(payload, StandardCharsets.UTF_8));
            case INTEGER -> new Numeric.Integer(in.getLong());
            case FLOAT -> new Numeric.Float(Double.longBitsToDouble(in.getLong()));
            case JSON -> new Value.Json(payload);
            default -> throw new ArborException.Internal("unknown key-value entry kind " + kind, null);
        };
        return new StoredEntry(value, expiresAt);
    }
}
