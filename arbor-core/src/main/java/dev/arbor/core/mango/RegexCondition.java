package dev.arbor.core.mango;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code $regex} with Java's regex engine standing in for PCRE, the way CouchDB calls it:
 * {@code re:run(Value, Regex, [{capture, none}])} on a UTF-8 binary without the {@code unicode} option, so
 * PCRE matches bytes, not characters. To get the same answers, pattern and subject are both handed to Java
 * as Latin-1 decodings of their UTF-8 bytes (one char per byte): {@code "^.$"} does not match {@code "é"}
 * (two bytes), {@code \w} and {@code (?i)} are ASCII-only, and only {@code \n} ends a line (PCRE's default
 * newline), which {@link Pattern#UNIX_LINES} gives.
 *
 * <p>Remaining PCRE differences: Java rejects PCRE-only syntax such as recursion {@code (?R)}, conditionals
 * {@code (?(1)a|b)}, {@code \K} and backtracking verbs, which CouchDB accepts (here: 400 {@code bad_arg});
 * Java accepts a few forms PCRE rejects, e.g. {@code [a-&&b]} intersections, which mean something else.
 * {@code \s} matches vertical tab in both. A match that overflows the stack counts as no match, as CouchDB
 * counts a PCRE failure.
 */
final class RegexCondition {
    private RegexCondition() {}

    /** Compiles a {@code $regex} argument; a pattern Java cannot compile is CouchDB's {@code bad_arg}. */
    static Pattern compile(String pattern) {
        try {
            return Pattern.compile(asBytes(pattern), Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw MangoErrors.badArg("$regex", dev.arbor.core.json.Json.MAPPER.getNodeFactory().textNode(pattern));
        }
    }

    static boolean find(Pattern compiled, String subject) {
        try {
            return compiled.matcher(asBytes(subject)).find();
        } catch (StackOverflowError e) {
            return false;
        }
    }

    /** The UTF-8 bytes of {@code text}, one char each. */
    private static String asBytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
