package dev.arbor.api.keyvalue;

import dev.arbor.core.error.ArborException;

/**
 * A number of the key-value store, as BonsaiDb's {@code Numeric}: a signed 64-bit integer or a 64-bit
 * float. (BonsaiDb's unsigned integer has no Java type of its own; use {@link Integer}.)
 */
public sealed interface Numeric extends Value permits Numeric.Integer, Numeric.Float {

    /** This number as a long: a float is cast as Java casts it (saturating at the long range, NaN as 0). */
    long longValue();

    double doubleValue();

    @Override
    default <T> T as(Class<T> type) {
        Object converted;
        if (type == Number.class || type == Object.class) {
            converted = this instanceof Float f ? (Object) f.value() : (Object) longValue();
        } else if (type == Long.class) {
            converted = longValue();
        } else if (type == java.lang.Integer.class) {
            converted = Math.toIntExact(longValue());
        } else if (type == Double.class) {
            converted = doubleValue();
        } else if (type == java.lang.Float.class) {
            converted = (float) doubleValue();
        } else {
            throw new ArborException.BadRequest("bad_request", "a key-value number cannot be read as " + type.getSimpleName());
        }
        return type.cast(converted);
    }

    record Integer(long value) implements Numeric {
        @Override
        public long longValue() {
            return value;
        }

        @Override
        public double doubleValue() {
            return value;
        }
    }

    record Float(double value) implements Numeric {
        @Override
        public long longValue() {
            return (long) value;
        }

        @Override
        public double doubleValue() {
            return value;
        }

        /** Bitwise, like the stored form, so NaN equals NaN and 0.0 differs from -0.0 (compare-and-swap compares bytes). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Float other && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(other.value);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(Double.doubleToRawLongBits(value));
        }
    }
}
