package dev.arbor.core.collate;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * An order-preserving binary encoding of JSON keys: for any two JSON values,
 * {@code sign(Collation.INSTANCE.compare(a, b)) == sign(Arrays.compareUnsigned(encode(a), encode(b)))}.
 * Keys that collate equal ({@code 1} and {@code 1.0}; {@code "é"} and {@code "e\u0301"}) encode to
 * <em>identical</em> bytes, and keys that do not collate equal encode to different bytes.
 *
 * <p>The encoding is one-way: strings become ICU sort keys, from which the text cannot be recovered. Indexes
 * store the original key beside the encoded one. Sort keys are specific to the ICU version (its collation
 * data), so an index built from them must be rebuilt when the ICU version changes; {@link #ICU_COLLATOR_VERSION}
 * names the version to record with such an index.
 *
 * <p>Layout. Every value starts with a tag byte in collation order, and every encoding is prefix-free (no
 * encoding is a proper prefix of another), which is what lets encodings be concatenated inside arrays and
 * objects and still compare element by element:
 * <ul>
 *   <li>{@code null}, {@code false}, {@code true}: the tag alone.</li>
 *   <li>Numbers: a tag for negative, zero or positive. A nonzero value, written {@code ±0.d₁d₂…dₖ × 10^E} with
 *       {@code d₁ ≠ 0} and no trailing zero digits, follows with {@code E} as a length-prefixed big-endian
 *       integer (larger exponents sort later at every length) and then the digits two per byte as
 *       {@code 10·a+b+1} (1..100) closed by 0x00, so a digit string sorts before its own extensions.
 *       Negative numbers complement every byte after the tag, reversing the order. Equal values have equal
 *       normalized forms and so equal bytes, whatever their JSON spelling or precision.</li>
 *   <li>Strings: the tag, then the ICU sort key from the collator {@link Collation} uses, including its
 *       terminating 0x00 (ICU puts no 0x00 anywhere else in a sort key, so the key is self-delimiting).</li>
 *   <li>Arrays: the tag, each element, then 0x00. Every tag is above 0x00, so an array sorts before its
 *       extensions.</li>
 *   <li>Objects: the tag, then per member the key's sort key (its first byte is never 0x00) and the value's
 *       encoding, then 0x00.</li>
 * </ul>
 */
public final class KeyEncoding {
    /** Identifies the collation data behind string sort keys; an index built with another value must be rebuilt. */
    public static final String ICU_COLLATOR_VERSION = RootCollator.version();

    private static final int END = 0x00;
    private static final int NULL = 0x10;
    private static final int FALSE = 0x20;
    private static final int TRUE = 0x30;
    private static final int NEGATIVE = 0x40;
    private static final int ZERO = 0x41;
    private static final int POSITIVE = 0x42;
    private static final int STRING = 0x50;
    private static final int ARRAY = 0x60;
    private static final int OBJECT = 0x70;
    /** Above every tag and every byte of UTF-8 text, so it closes off everything that shares a prefix. */
    private static final int AFTER_ALL = 0xFF;

    private KeyEncoding() {}

    /** The encoding of {@code key}. Throws {@link IllegalArgumentException} for a node that is not JSON. */
    public static byte[] encode(JsonNode key) {
        Sink out = new Sink();
        write(key, out);
        return out.toByteArray();
    }

    /**
     * The encoding of a view row's sort position {@code (key, docId)}: rows order by key in collation, then by
     * the document id's raw UTF-8 bytes, as CouchDB orders rows with equal keys. Because {@link #encode} is
     * prefix-free the id can follow it unterminated.
     */
    public static byte[] encodeComposite(JsonNode key, String docId) {
        Sink out = new Sink();
        write(key, out);
        out.put(docId.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /**
     * An exclusive upper bound just past every composite row of {@code key}, whatever its document id: the
     * end of a range with {@code endkey=key&inclusive_end=true}. {@code encode(key)} is the matching inclusive
     * lower bound. (0xFF never occurs in UTF-8, and {@code encode(key)} is a prefix of no greater key's
     * encoding.)
     */
    public static byte[] compositeUpperBound(JsonNode key) {
        Sink out = new Sink();
        write(key, out);
        out.put(AFTER_ALL);
        return out.toByteArray();
    }

    /**
     * Inclusive lower bound of every array key whose first elements collate equal to {@code prefix}'s
     * elements, the array {@code prefix} itself included; used for {@code group_level} and for
     * {@code startkey=[x]&endkey=[x,{}]}-style scans. Works for plain and composite encodings alike.
     */
    public static byte[] arrayPrefixLowerBound(JsonNode prefix) {
        return arrayPrefix(prefix, false);
    }

    /** Exclusive upper bound matching {@link #arrayPrefixLowerBound}: after every array that starts with {@code prefix}. */
    public static byte[] arrayPrefixUpperBound(JsonNode prefix) {
        return arrayPrefix(prefix, true);
    }

    /** The order of encodings: unsigned lexicographic, as RocksDB's default bytewise comparator orders keys. */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    private static byte[] arrayPrefix(JsonNode prefix, boolean upper) {
        if (!prefix.isArray()) {
            throw new IllegalArgumentException("an array prefix must be a JSON array, got " + prefix.getNodeType());
        }
        Sink out = new Sink();
        out.put(ARRAY);
        for (JsonNode element : prefix) {
            write(element, out);
        }
        if (upper) {
            out.put(AFTER_ALL);
        }
        return out.toByteArray();
    }

    private static void write(JsonNode node, Sink out) {
        switch (JsonType.of(node)) {
            case NULL -> out.put(NULL);
            case FALSE -> out.put(FALSE);
            case TRUE -> out.put(TRUE);
            case NUMBER -> writeNumber(node, out);
            case STRING -> {
                out.put(STRING);
                writeSortKey(node.textValue(), out);
            }
            case ARRAY -> {
                out.put(ARRAY);
                for (JsonNode element : node) {
                    write(element, out);
                }
                out.put(END);
            }
            case OBJECT -> {
                out.put(OBJECT);
                for (Map.Entry<String, JsonNode> member : node.properties()) {
                    writeSortKey(member.getKey(), out);
                    write(member.getValue(), out);
                }
                out.put(END);
            }
        }
    }

    private static void writeSortKey(String s, Sink out) {
        out.put(SortKeyCache.forThread().sortKey(s));
    }

    private static void writeNumber(JsonNode node, Sink out) {
        if (node.isInt() || node.isLong()) {
            long value = node.longValue();
            if (value != Long.MIN_VALUE) { // whose magnitude has no long
                writeLong(value, out);
                return;
            }
        }
        writeDecimal(DecimalValue.of(node), out);
    }

    private static void writeLong(long value, Sink out) {
        if (value == 0) {
            out.put(ZERO);
            return;
        }
        String digits = Long.toString(Math.abs(value));
        int significant = digits.length();
        while (digits.charAt(significant - 1) == '0') {
            significant--;
        }
        writeNonZero(value < 0, digits.length(), digits, significant, out);
    }

    private static void writeDecimal(BigDecimal value, Sink out) {
        if (value.signum() == 0) {
            out.put(ZERO);
            return;
        }
        BigDecimal normalized = value.stripTrailingZeros();
        String digits = normalized.unscaledValue().abs().toString();
        // value = 0.digits × 10^exponent; scale is an int, so the exponent always fits a long.
        long exponent = (long) digits.length() - normalized.scale();
        writeNonZero(value.signum() < 0, exponent, digits, digits.length(), out);
    }

    /** Writes {@code ±0.digits[0..count) × 10^exponent}; {@code digits} starts nonzero and ends nonzero at {@code count}. */
    private static void writeNonZero(boolean negative, long exponent, String digits, int count, Sink out) {
        out.put(negative ? NEGATIVE : POSITIVE);
        int flip = negative ? 0xFF : 0x00;
        writeExponent(exponent, flip, out);
        for (int i = 0; i < count; i += 2) {
            int high = digits.charAt(i) - '0';
            int low = i + 1 < count ? digits.charAt(i + 1) - '0' : 0;
            out.put((10 * high + low + 1) ^ flip);
        }
        out.put(END ^ flip);
    }

    /**
     * A signed integer as a header byte {@code 0x80 ± n} followed by {@code n} big-endian bytes (ones'
     * complement of the magnitude when negative), in the manner of the FoundationDB tuple layer: more bytes
     * mean a larger magnitude, so the header alone orders different lengths and the bytes order equal ones.
     */
    private static void writeExponent(long exponent, int flip, Sink out) {
        long magnitude = Math.abs(exponent);
        int n = (64 - Long.numberOfLeadingZeros(magnitude) + 7) / 8;
        long bits = exponent >= 0 ? magnitude : ~magnitude;
        out.put((exponent >= 0 ? 0x80 + n : 0x80 - n) ^ flip);
        for (int i = n - 1; i >= 0; i--) {
            out.put(((int) (bits >>> (8 * i)) & 0xFF) ^ flip);
        }
    }

    /** A growable byte buffer without the synchronization of {@code ByteArrayOutputStream}. */
    private static final class Sink {
        private byte[] bytes = new byte[32];
        private int length;

        void put(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        void put(byte[] source) {
            put(source, source.length);
        }

        void put(byte[] source, int count) {
            ensure(count);
            System.arraycopy(source, 0, bytes, length, count);
            length += count;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
