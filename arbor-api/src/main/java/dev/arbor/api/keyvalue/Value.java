package dev.arbor.api.keyvalue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.arbor.core.error.ArborException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A value of the key-value store, as BonsaiDb's {@code Value}: raw bytes, text, a number, or any
 * Jackson-serialisable object (stored as its JSON bytes). Numbers are {@link Numeric} so
 * {@link KeyValueStore#increment increment} can work on them; everything else is opaque to the store.
 *
 * <p>Two values are equal when they have the same kind and the same stored bytes, which is what
 * {@link KeyValueStore#compareAndSwap compareAndSwap} compares.
 */
public sealed interface Value permits Value.Bytes, Value.Text, Value.Json, Numeric {

    /**
     * The value for a Java object: {@code byte[]} as bytes, {@link CharSequence} as text, {@code long},
     * {@code int}, {@code short} and {@code byte} as an integer, {@code double} and {@code float} as a
     * float, a {@link Value} as itself, anything else serialised with Jackson.
     */
    static Value of(Object value) {
        return switch (value) {
            case null -> throw new ArborException.BadRequest("bad_request", "a key-value value cannot be null");
            case Value v -> v;
            case byte[] bytes -> new Bytes(bytes.clone());
            case CharSequence text -> new Text(text.toString());
            case Long n -> new Numeric.Integer(n);
            case Integer n -> new Numeric.Integer(n);
            case Short n -> new Numeric.Integer(n);
            case Byte n -> new Numeric.Integer(n);
            case Double n -> new Numeric.Float(n);
            case Float n -> new Numeric.Float(n);
            default -> Json.of(value);
        };
    }

    /**
     * This value as a {@code type}: bytes as {@code byte[]}, text as {@code String}, numbers as any boxed
     * number type (converted as Java's casts do), JSON deserialised with Jackson. A kind that cannot
     * become {@code type} is a {@code bad_request}.
     */
    <T> T as(Class<T> type);

    default long asLong() {
        return as(Long.class);
    }

    default double asDouble() {
        return as(Double.class);
    }

    default String asText() {
        return as(String.class);
    }

    default byte[] asBytes() {
        return as(byte[].class);
    }

    private static ArborException incompatible(Value value, Class<?> type) {
        return new ArborException.BadRequest("bad_request",
                "a key-value " + value.getClass().getSimpleName().toLowerCase() + " value cannot be read as " + type.getSimpleName());
    }

    /** Raw bytes, never interpreted. The array is copied in and out: a value is immutable. */
    record Bytes(byte[] bytes) implements Value {
        public Bytes {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public <T> T as(Class<T> type) {
            if (type == byte[].class) {
                return type.cast(bytes.clone());
            }
            throw incompatible(this, type);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Bytes[" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /** A string. */
    record Text(String text) implements Value {
        public Text {
            if (text == null) {
                throw new ArborException.BadRequest("bad_request", "a key-value text cannot be null");
            }
        }

        @Override
        public <T> T as(Class<T> type) {
            if (type == String.class || type == Object.class || type == CharSequence.class) {
                return type.cast(text);
            }
            if (type == byte[].class) {
                return type.cast(text.getBytes(StandardCharsets.UTF_8));
            }
            throw incompatible(this, type);
        }
    }

    /** A Jackson-serialised object, kept as its JSON bytes (UTF-8). */
    record Json(byte[] json) implements Value {
        public Json {
            json = json.clone();
        }

        /** Serialises {@code object} with Arbor's mapper. */
        public static Json of(Object object) {
            try {
                return new Json(dev.arbor.core.json.Json.MAPPER.writeValueAsBytes(object));
            } catch (JsonProcessingException e) {
                throw new ArborException.BadRequest("bad_request", "cannot serialise a key-value value: " + e.getOriginalMessage());
            }
        }

        @Override
        public byte[] json() {
            return json.clone();
        }

        @Override
        public <T> T as(Class<T> type) {
            if (type == byte[].class) {
                return type.cast(json.clone());
            }
            try {
                return dev.arbor.core.json.Json.MAPPER.readValue(json, type);
            } catch (IOException e) {
                throw new ArborException.BadRequest("bad_request",
                        "a key-value JSON value cannot be read as " + type.getSimpleName() + ": " + e.getMessage());
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Json other && Arrays.equals(json, other.json);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(json);
        }

        @Override
        public String toString() {
            return "Json[" + new String(json, StandardCharsets.UTF_8) + "]";
        }
    }
}
