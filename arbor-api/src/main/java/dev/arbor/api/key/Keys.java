package dev.arbor.api.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.core.json.Json;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The built-in {@link Key}s: the scalar types BonsaiDb offers as keys, composed into optionals, lists and records.
 *
 * <p>Strings order by CouchDB's collation (ICU) as view keys, like every key on the HTTP side, and by code point
 * as ids (the order of {@code _all_docs}). Records and lists become JSON arrays, so a record key
 * {@code (year, month, day)} answers {@code group_level=2} queries exactly as the array {@code [y, m, d]} does.
 */
public final class Keys {
    private Keys() {}

    /** Keys as the view engine gives them: any JSON. */
    public static final Key<JsonNode> JSON = new Key<>() {
        @Override public JsonNode toJson(JsonNode key) { return key; }
        @Override public JsonNode fromJson(JsonNode json) { return json; }
    };

    /** Longs, exact at any magnitude; ids are fixed-width decimal so they list numerically. */
    public static final Key<Long> LONG = new Key<>() {
        @Override public JsonNode toJson(Long key) { return LongNode.valueOf(key); }
        @Override public Long fromJson(JsonNode json) { return integral(json); }
        @Override public String toId(Long key) { return longId(key); }
        @Override public Long fromId(String id) { return parseLongId(id); }
    };

    public static final Key<Integer> INTEGER = new Key<>() {
        @Override public JsonNode toJson(Integer key) { return IntNode.valueOf(key); }
        @Override public Integer fromJson(JsonNode json) { return Math.toIntExact(integral(json)); }
        @Override public String toId(Integer key) { return longId(key); }
        @Override public Integer fromId(String id) { return Math.toIntExact(parseLongId(id)); }
    };

    /** Finite doubles ({@code -0.0} is {@code 0.0}, as in JSON); NaN and infinities have no JSON form. */
    public static final Key<Double> DOUBLE = new Key<>() {
        @Override public JsonNode toJson(Double key) { return DoubleNode.valueOf(finite(key) + 0.0); }

        @Override public Double fromJson(JsonNode json) {
            if (!json.isNumber()) {
                throw notA("number", json);
            }
            return json.doubleValue();
        }

        /** The IEEE bits made unsigned-order-preserving (negatives flipped, positives' sign bit set), in hex. */
        @Override public String toId(Double key) {
            long bits = Double.doubleToLongBits(finite(key) + 0.0);
            return HexFormat.of().toHexDigits(bits < 0 ? ~bits : bits ^ Long.MIN_VALUE);
        }

        @Override public Double fromId(String id) {
            long sortable = HexFormat.fromHexDigitsToLong(id);
            return Double.longBitsToDouble(sortable < 0 ? sortable ^ Long.MIN_VALUE : ~sortable);
        }
    };

    public static final Key<String> STRING = new Key<>() {
        @Override public JsonNode toJson(String key) { return TextNode.valueOf(key); }

        @Override public String fromJson(JsonNode json) {
            if (!json.isTextual()) {
                throw notA("string", json);
            }
            return json.textValue();
        }

        @Override public String toId(String key) { return key; }
        @Override public String fromId(String id) { return id; }
    };

    public static final Key<Boolean> BOOLEAN = new Key<>() {
        @Override public JsonNode toJson(Boolean key) { return BooleanNode.valueOf(key); }

        @Override public Boolean fromJson(JsonNode json) {
            if (!json.isBoolean()) {
                throw notA("boolean", json);
            }
            return json.booleanValue();
        }

        @Override public String toId(Boolean key) { return key.toString(); }
        @Override public Boolean fromId(String id) { return Boolean.parseBoolean(id); }
    };

    /**
     * Instants as exact decimal epoch seconds ({@code 1763718550.123456789}): numbers collate numerically, so
     * instants before 1970 sort correctly too; ids are the fixed-width second and nanosecond fields.
     */
    public static final Key<Instant> INSTANT = new Key<>() {
        @Override public JsonNode toJson(Instant key) {
            return DecimalNode.valueOf(BigDecimal.valueOf(key.getEpochSecond()).add(BigDecimal.valueOf(key.getNano(), 9)));
        }

        @Override public Instant fromJson(JsonNode json) {
            if (!json.isNumber()) {
                throw notA("number of epoch seconds", json);
            }
            BigDecimal value = json.decimalValue();
            BigDecimal seconds = value.setScale(0, RoundingMode.FLOOR);
            return Instant.ofEpochSecond(seconds.longValueExact(), value.subtract(seconds).movePointRight(9).intValueExact());
        }

        @Override public String toId(Instant key) {
            return longId(key.getEpochSecond()) + "." + String.format(Locale.ROOT, "%09d", key.getNano());
        }

        @Override public Instant fromId(String id) {
            int dot = id.lastIndexOf('.');
            return Instant.ofEpochSecond(parseLongId(id.substring(0, dot)), Integer.parseInt(id.substring(dot + 1)));
        }
    };

    /** UUIDs as their lowercase text: collation and byte order both follow the UUID's unsigned bytes. */
    public static final Key<UUID> UUID_KEY = new Key<>() {
        @Override public JsonNode toJson(UUID key) { return TextNode.valueOf(key.toString()); }
        @Override public UUID fromJson(JsonNode json) { return UUID.fromString(STRING.fromJson(json)); }
        @Override public String toId(UUID key) { return key.toString(); }
        @Override public UUID fromId(String id) { return UUID.fromString(id); }
    };

    /** Enum constants by name: stable when constants are reordered, ordered as their names collate. */
    public static <E extends Enum<E>> Key<E> enumByName(Class<E> type) {
        return new Key<>() {
            @Override public JsonNode toJson(E key) { return TextNode.valueOf(key.name()); }
            @Override public E fromJson(JsonNode json) { return Enum.valueOf(type, STRING.fromJson(json)); }
            @Override public String toId(E key) { return key.name(); }
            @Override public E fromId(String id) { return Enum.valueOf(type, id); }
        };
    }

    /** Enum constants by ordinal: ordered as declared; reordering the constants changes stored keys' meaning. */
    public static <E extends Enum<E>> Key<E> enumByOrdinal(Class<E> type) {
        E[] constants = type.getEnumConstants();
        return new Key<>() {
            @Override public JsonNode toJson(E key) { return IntNode.valueOf(key.ordinal()); }
            @Override public E fromJson(JsonNode json) { return constants[INTEGER.fromJson(json)]; }
            @Override public String toId(E key) { return longId(key.ordinal()); }
            @Override public E fromId(String id) { return constants[Math.toIntExact(parseLongId(id))]; }
        };
    }

    /** Empty is JSON {@code null}, which collates before every other value, so empty sorts first. */
    public static <T> Key<Optional<T>> optional(Key<T> inner) {
        return new Key<>() {
            @Override public JsonNode toJson(Optional<T> key) {
                return key.map(inner::toJson).orElse(NullNode.getInstance());
            }

            @Override public Optional<T> fromJson(JsonNode json) {
                return json.isNull() ? Optional.empty() : Optional.of(inner.fromJson(json));
            }

            @Override public String toId(Optional<T> key) { return key.map(v -> "+" + inner.toId(v)).orElse(""); }

            @Override public Optional<T> fromId(String id) {
                return id.isEmpty() ? Optional.empty() : Optional.of(inner.fromId(id.substring(1)));
            }
        };
    }

    /** Lists as JSON arrays: element by element, a prefix before its extensions (CouchDB's array collation). */
    public static <T> Key<List<T>> list(Key<T> element) {
        return new Key<>() {
            @Override public JsonNode toJson(List<T> key) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                key.forEach(v -> array.add(element.toJson(v)));
                return array;
            }

            @Override public List<T> fromJson(JsonNode json) {
                if (!json.isArray()) {
                    throw notA("array", json);
                }
                List<T> values = new ArrayList<>(json.size());
                json.forEach(v -> values.add(element.fromJson(v)));
                return List.copyOf(values);
            }
        };
    }

    /**
     * A record as the JSON array of its components in declaration order, each through {@link #forType} of its
     * type; {@code componentKeys} overrides them (for an enum by ordinal, say), one per component.
     */
    public static <R extends Record> Key<R> record(Class<R> type, Key<?>... componentKeys) {
        RecordComponent[] components = type.getRecordComponents();
        if (componentKeys.length != 0 && componentKeys.length != components.length) {
            throw new IllegalArgumentException(type.getName() + " has " + components.length + " components, "
                    + componentKeys.length + " keys given");
        }
        @SuppressWarnings("unchecked")
        Key<Object>[] keys = new Key[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            keys[i] = (Key<Object>) (componentKeys.length == 0 ? forType(types[i]) : componentKeys[i]);
        }
        // Accessors resolved once: getAccessor() hands out a fresh copy per call, which made up most of encoding a key.
        java.lang.reflect.Method[] accessors = new java.lang.reflect.Method[components.length];
        for (int i = 0; i < components.length; i++) {
            accessors[i] = components[i].getAccessor();
            accessors[i].setAccessible(true);
        }
        Constructor<R> constructor;
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no canonical constructor", e);
        }
        return new Key<>() {
            @Override public JsonNode toJson(R key) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                for (int i = 0; i < components.length; i++) {
                    array.add(keys[i].toJson(component(accessors[i], key)));
                }
                return array;
            }

            @Override public R fromJson(JsonNode json) {
                if (!json.isArray() || json.size() != components.length) {
                    throw notA("array of " + components.length + " components", json);
                }
                Object[] values = new Object[components.length];
                for (int i = 0; i < components.length; i++) {
                    values[i] = keys[i].fromJson(json.get(i));
                }
                try {
                    return constructor.newInstance(values);
                } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalArgumentException("cannot make a " + type.getName() + " from " + json, e);
                }
            }
        };
    }

    private static Object component(java.lang.reflect.Method accessor, Record record) {
        try {
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + accessor, e);
        }
    }

    private static final Map<Class<?>, Key<?>> BY_TYPE = Map.ofEntries(
            Map.entry(Long.class, LONG), Map.entry(long.class, LONG),
            Map.entry(Integer.class, INTEGER), Map.entry(int.class, INTEGER),
            Map.entry(Double.class, DOUBLE), Map.entry(double.class, DOUBLE),
            Map.entry(Boolean.class, BOOLEAN), Map.entry(boolean.class, BOOLEAN),
            Map.entry(String.class, STRING), Map.entry(Instant.class, INSTANT), Map.entry(UUID.class, UUID_KEY),
            Map.entry(JsonNode.class, JSON));

    /**
     * The key of a type: the built-in scalars, enums (by name), records (by {@link #record}); anything else is an
     * {@link IllegalArgumentException} naming the type, so a user knows to write a {@link Key} for it.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> Key<T> forType(Class<T> type) {
        Key<?> builtIn = BY_TYPE.get(type);
        if (builtIn != null) {
            return (Key<T>) builtIn;
        }
        if (type.isEnum()) {
            return (Key<T>) enumByName((Class) type);
        }
        if (type.isRecord()) {
            return (Key<T>) record((Class) type);
        }
        throw new IllegalArgumentException("no built-in key for " + type.getName() + ": implement dev.arbor.api.key.Key");
    }

    private static long integral(JsonNode json) {
        if (!json.isIntegralNumber() && !(json.isNumber() && json.decimalValue().stripTrailingZeros().scale() <= 0)) {
            throw notA("integer", json);
        }
        if (!json.canConvertToLong()) {
            throw notA("integer within the range of a long", json);
        }
        return json.longValue();
    }

    private static double finite(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no form for " + value);
        }
        return value;
    }

    /**
     * Fixed-width decimal: 19 digits for non-negative values; {@code '-'} (which sorts before digits) and the 19
     * digits of {@code value + 2^63} for negative ones, so byte order is numeric order across the whole range.
     */
    static String longId(long value) {
        return value >= 0 ? String.format(Locale.ROOT, "%019d", value)
                : "-" + String.format(Locale.ROOT, "%019d", value - Long.MIN_VALUE);
    }

    static long parseLongId(String id) {
        return id.startsWith("-") ? Long.parseLong(id.substring(1)) + Long.MIN_VALUE : Long.parseLong(id);
    }

    private static IllegalArgumentException notA(String what, JsonNode json) {
        return new IllegalArgumentException("expected a key that is a " + what + ", got " + json);
    }
}
