package dev.arbor.bench.data;

import java.math.BigDecimal;

/**
 * The text JavaScript's {@code JSON.stringify} gives for numbers and strings, so that files written
 * here are byte-identical to gen.js's. Java's own {@code Double.toString} differs (it writes
 * {@code 5.0}, {@code 1.0E-4}), but since Java 19 it picks the same shortest digits as ECMAScript's
 * Number::toString; only the layout of those digits has to follow the ECMAScript rules.
 */
public final class JsText {
    private JsText() {}

    /** ECMAScript Number::toString (radix 10) of a finite double. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no text for " + value); // JSON.stringify would write null
        }
        if (value == 0) {
            return "0"; // also for -0, as JavaScript prints it
        }
        String sign = value < 0 ? "-" : "";
        BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = decimal.unscaledValue().toString();
        int k = digits.length();
        int n = k - decimal.scale(); // value = 0.digits × 10^n
        if (k <= n && n <= 21) {
            return sign + digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return sign + digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return sign + "0." + "0".repeat(-n) + digits;
        }
        String exponent = (n - 1 >= 0 ? "+" : "-") + Math.abs(n - 1);
        String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + exponent;
    }

    /** A JSON string literal as {@code JSON.stringify} writes it. */
    public static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || isLoneSurrogate(value, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** JSON.stringify escapes a surrogate that is not half of a valid pair (well-formed JSON.stringify, ES2019). */
    private static boolean isLoneSurrogate(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
        }
        return false;
    }
}
