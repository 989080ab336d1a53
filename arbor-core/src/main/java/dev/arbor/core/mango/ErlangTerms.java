package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON values seen the way CouchDB's Erlang code sees them after decoding ({@code jiffy}): integers are
 * integers, every other number is a double, strings are UTF-8 binaries, objects are {@code {[{Key, Value}]}}
 * tuples. Three things in Mango depend on that view: the raw term order CouchDB uses for {@code _id}, the
 * exact equality ({@code =:=}) and plain equality ({@code ==}) of {@code $all}, and the {@code ~w}/{@code ~p}
 * formatting of values in error reasons.
 */
final class ErlangTerms {
    private ErlangTerms() {}

    // ---- order -------------------------------------------------------------------------------------

    /**
     * Erlang's term order: {@code number < atom < tuple < list < binary}, so numbers, then
     * {@code false < null < true} (atoms order alphabetically), then objects, then arrays, then strings;
     * numbers by value, strings by UTF-8 bytes, arrays and objects (lists of {@code {Key, Value}}) element by
     * element with the shorter first.
     */
    static int compare(JsonNode a, JsonNode b) {
        int rankA = rank(a);
        int rankB = rank(b);
        if (rankA != rankB) {
            return Integer.compare(rankA, rankB);
        }
        return switch (a.getNodeType()) {
            case NUMBER -> Integer.signum(number(a).compareTo(number(b)));
            case STRING -> compareUtf8(a.textValue(), b.textValue());
            case ARRAY -> compareArrays(a, b);
            case OBJECT -> compareObjects(a, b);
            default -> 0; // the atoms: equal rank means the same atom
        };
    }

    private static int rank(JsonNode node) {
        return switch (node.getNodeType()) {
            case NUMBER -> 0;
            case BOOLEAN -> node.booleanValue() ? 3 : 1;
            case NULL -> 2;
            case OBJECT -> 4;
            case ARRAY -> 5;
            case STRING -> 6;
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        };
    }

    /** UTF-8 byte order is code point order, which UTF-16 code unit order ({@link String#compareTo}) is not. */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int cpA = a.codePointAt(i);
            int cpB = b.codePointAt(j);
            if (cpA != cpB) {
                return cpA < cpB ? -1 : 1;
            }
            i += Character.charCount(cpA);
            j += Character.charCount(cpB);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static int compareArrays(JsonNode a, JsonNode b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareObjects(JsonNode a, JsonNode b) {
        Iterator<Map.Entry<String, JsonNode>> membersA = a.properties().iterator();
        Iterator<Map.Entry<String, JsonNode>> membersB = b.properties().iterator();
        while (membersA.hasNext() && membersB.hasNext()) {
            Map.Entry<String, JsonNode> memberA = membersA.next();
            Map.Entry<String, JsonNode> memberB = membersB.next();
            int c = compareUtf8(memberA.getKey(), memberB.getKey());
            if (c == 0) {
                c = compare(memberA.getValue(), memberB.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(membersA.hasNext(), membersB.hasNext());
    }

    // ---- equality ----------------------------------------------------------------------------------

    /** Erlang's {@code =:=}: like {@code ==}, but an integer never equals a float ({@code 1 =/= 1.0}). */
    static boolean exactlyEqual(JsonNode a, JsonNode b) {
        return equal(a, b, true);
    }

    /** Erlang's {@code ==}: numbers by value, {@code 1 == 1.0}; member order of objects matters. */
    static boolean equal(JsonNode a, JsonNode b) {
        return equal(a, b, false);
    }

    private static boolean equal(JsonNode a, JsonNode b, boolean exact) {
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        return switch (a.getNodeType()) {
            case NUMBER -> (!exact || a.isIntegralNumber() == b.isIntegralNumber()) && compare(a, b) == 0;
            case STRING -> a.textValue().equals(b.textValue());
            case BOOLEAN -> a.booleanValue() == b.booleanValue();
            case NULL -> true;
            case ARRAY -> {
                if (a.size() != b.size()) {
                    yield false;
                }
                for (int i = 0; i < a.size(); i++) {
                    if (!equal(a.get(i), b.get(i), exact)) {
                        yield false;
                    }
                }
                yield true;
            }
            case OBJECT -> {
                if (a.size() != b.size()) {
                    yield false;
                }
                Iterator<Map.Entry<String, JsonNode>> membersA = a.properties().iterator();
                Iterator<Map.Entry<String, JsonNode>> membersB = b.properties().iterator();
                while (membersA.hasNext()) {
                    Map.Entry<String, JsonNode> memberA = membersA.next();
                    Map.Entry<String, JsonNode> memberB = membersB.next();
                    if (!memberA.getKey().equals(memberB.getKey()) || !equal(memberA.getValue(), memberB.getValue(), exact)) {
                        yield false;
                    }
                }
                yield true;
            }
            default -> false;
        };
    }

    // ---- formatting --------------------------------------------------------------------------------

    /** {@code io_lib:format("~w", [Term])}: strings as their bytes, {@code <<102,111,111>>}. */
    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        format(node, out, false);
        return out.toString();
    }

    /**
     * {@code io_lib:format("~p", [Term])} for terms that fit on one line: like {@link #write}, but a string of
     * printable ASCII is shown as {@code <<"foo">>}. (Erlang would also break long terms over lines and show
     * Latin-1 bytes as characters; reasons with such terms differ from CouchDB's in layout only.)
     */
    static String print(JsonNode node) {
        StringBuilder out = new StringBuilder();
        format(node, out, true);
        return out.toString();
    }

    private static void format(JsonNode node, StringBuilder out, boolean printable) {
        switch (node.getNodeType()) {
            case NULL -> out.append("null");
            case BOOLEAN -> out.append(node.booleanValue());
            case NUMBER -> out.append(node.isIntegralNumber() ? node.bigIntegerValue().toString() : formatFloat(node.doubleValue()));
            case STRING -> formatBinary(node.textValue(), out, printable);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.append(',');
                    format(node.get(i), out, printable);
                }
                out.append(']');
            }
            case OBJECT -> {
                out.append("{[");
                boolean first = true;
                for (Map.Entry<String, JsonNode> member : node.properties()) {
                    if (!first) out.append(',');
                    first = false;
                    out.append('{');
                    formatBinary(member.getKey(), out, printable);
                    out.append(',');
                    format(member.getValue(), out, printable);
                    out.append('}');
                }
                out.append("]}");
            }
            default -> out.append(node);
        }
    }

    private static void formatBinary(String text, StringBuilder out, boolean printable) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (printable && bytes.length > 0 && isPrintableAscii(bytes)) {
            out.append("<<\"");
            for (byte b : bytes) {
                if (b == '"' || b == '\\') out.append('\\');
                out.append((char) b);
            }
            out.append("\">>");
            return;
        }
        out.append("<<");
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) out.append(',');
            out.append(bytes[i] & 0xff);
        }
        out.append(">>");
    }

    private static boolean isPrintableAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) return false;
        }
        return true;
    }

    /**
     * Erlang's shortest round-trip float format ({@code io_lib_format:fwrite_g/1}): {@code 1.5}, {@code 100.0},
     * {@code 1.0e3}, {@code 1.0e-5}: plain notation unless the exponent form is shorter.
     */
    static String formatFloat(double value) {
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int place = -shortest.scale();
        int length = digits.length();
        int exponent = place + length - 1;
        String exponentText = Integer.toString(exponent);
        int exponentCost = exponentText.length() + 2;
        String text;
        if (place < 0) {
            if (exponent >= 0) {
                text = digits.substring(0, length + place) + "." + digits.substring(length + place);
            } else if (2 - place - length <= exponentCost) {
                text = "0." + "0".repeat(-place - length) + digits;
            } else {
                text = withExponent(exponentText, digits);
            }
        } else {
            int dot = length == 1 ? 1 : 0;
            if (exponentCost + dot >= place + 2 && Math.abs(value) < 0x1p53) {
                text = digits + "0".repeat(place) + ".0";
            } else {
                text = withExponent(exponentText, digits);
            }
        }
        return value < 0 ? "-" + text : text;
    }

    private static String withExponent(String exponent, String digits) {
        return digits.length() == 1
                ? digits + ".0e" + exponent
                : digits.charAt(0) + "." + digits.substring(1) + "e" + exponent;
    }

    /** A number as CouchDB holds it: an integer exactly, anything with a fraction or exponent as a double. */
    private static BigDecimal number(JsonNode node) {
        return node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : new BigDecimal(node.doubleValue());
    }
}
