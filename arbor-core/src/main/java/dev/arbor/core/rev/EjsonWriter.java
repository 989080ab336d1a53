package dev.arbor.core.rev;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Writes a JSON document as the Erlang term jiffy decodes it to ("EJSON"), straight from its UTF-8 bytes: objects
 * {@code {[{Key, Value}, ...]}} in document order, arrays as lists, strings as UTF-8 binaries, numbers without a
 * fraction or exponent as integers of any size and others as doubles ({@code strtod}'s nearest double),
 * {@code true}/{@code false}/{@code null} as atoms.
 *
 * <p>Reads JSON that was validated when it was stored (a document body): it trusts the syntax, so no token objects,
 * no character decoding of strings without escapes (their bytes are the binary's bytes) and no allocation but for
 * strings with escapes and numbers that are not small integers. Revision ids are computed on every write, so this path is kept lean.
 */
final class EjsonWriter {
    private final byte[] json;
    private final ErlangTermFormat out;
    private int pos;

    private EjsonWriter(byte[] json, ErlangTermFormat out) {
        this.json = json;
        this.out = out;
    }

    /** Writes the one JSON value in {@code json}. */
    static void write(byte[] json, ErlangTermFormat out) {
        EjsonWriter writer = new EjsonWriter(json, out);
        try {
            writer.value();
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated JSON", e);
        }
    }

    private void value() {
        skipSpace();
        byte b = json[pos];
        switch (b) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object() {
        pos++; // {
        out.tuple(1);
        int mark = out.beginList();
        int count = 0;
        skipSpace();
        if (json[pos] == '}') {
            pos++;
        } else {
            while (true) {
                out.tuple(2);
                skipSpace();
                string();
                skipSpace();
                pos++; // :
                value();
                count++;
                skipSpace();
                if (json[pos++] == '}') {
                    break;
                }
            }
        }
        out.endList(mark, count, false);
    }

    private void array() {
        pos++; // [
        int mark = out.beginList();
        int count = 0;
        boolean allBytes = true;
        skipSpace();
        if (json[pos] == ']') {
            pos++;
        } else {
            while (true) {
                int at = out.position();
                value();
                allBytes &= out.isByte(at);
                count++;
                skipSpace();
                if (json[pos++] == ']') {
                    break;
                }
            }
        }
        out.endList(mark, count, allBytes);
    }

    private void literal(String atom) {
        out.atom(atom);
        pos += atom.length();
    }

    /** A string's binary: its bytes as they are when it has no escapes, else decoded. */
    private void string() {
        int start = ++pos;
        int i = start;
        while (true) {
            byte b = json[i];
            if (b == '"') {
                out.binary(json, start, i - start);
                pos = i + 1;
                return;
            }
            if (b == '\\') {
                break;
            }
            i++;
        }
        escapedString(start);
    }

    private void escapedString(int start) {
        StringBuilder s = new StringBuilder();
        int i = start;
        while (true) {
            int b = json[i] & 0xFF;
            if (b == '"') {
                break;
            }
            if (b != '\\') {
                int end = i;
                while (json[end] != '"' && json[end] != '\\') {
                    end++;
                }
                s.append(new String(json, i, end - i, StandardCharsets.UTF_8));
                i = end;
                continue;
            }
            char e = (char) json[i + 1];
            i += 2;
            switch (e) {
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    s.append((char) Integer.parseInt(new String(json, i, 4, StandardCharsets.ISO_8859_1), 16));
                    i += 4;
                }
                default -> s.append(e); // " \ /
            }
        }
        pos = i + 1;
        char[] chars = s.toString().toCharArray();
        out.utf8Binary(chars, 0, chars.length);
    }

    /**
     * An integer when the text has neither fraction nor exponent (jiffy's {@code strtol}, or a bignum beyond 64 bits),
     * else the nearest double ({@code strtod}; {@link Double#parseDouble} rounds the same way).
     */
    private void number() {
        int start = pos;
        boolean integral = true;
        while (pos < json.length) {
            byte b = json[pos];
            if (b >= '0' && b <= '9' || b == '-' || b == '+') {
                pos++;
            } else if (b == '.' || b == 'e' || b == 'E') {
                integral = false;
                pos++;
            } else {
                break;
            }
        }
        int length = pos - start;
        if (length == 0) {
            throw new IllegalArgumentException("not JSON at byte " + start);
        }
        if (integral && length <= 18) {
            out.integer(smallInteger(start, pos));
            return;
        }
        String text = new String(json, start, length, StandardCharsets.ISO_8859_1);
        if (integral) {
            out.integer(new BigInteger(text));
        } else {
            out.floating(Double.parseDouble(text));
        }
    }

    /** At most 18 characters: at most 17 digits after a sign, which a long holds. */
    private long smallInteger(int from, int to) {
        boolean negative = json[from] == '-';
        long value = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            value = value * 10 + (json[i] - '0');
        }
        return negative ? -value : value;
    }

    private void skipSpace() {
        while (true) {
            byte b = json[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }
}
