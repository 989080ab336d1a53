package dev.arbor.js;

import org.mozilla.javascript.Callable;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Symbol;
import org.mozilla.javascript.Undefined;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * About how many characters {@code JSON.stringify} will write for a value, counted without writing them, so that
 * its allocation can be reserved before Rhino builds the text in Java: a value that holds the same array twice at
 * every level is small, and its JSON exponential. The walk remembers the size of each object it has counted, so
 * such a value costs one step per object, and it stops as soon as the count passes a limit.
 *
 * <p>It follows JSON.stringify (toJSON methods are called, as they will be again by stringify) but not exactly:
 * escapes count as one character, a replacer function is not applied, and numbers are estimated. Close enough to
 * catch what matters, the values whose JSON is out of all proportion to their size.
 */
final class JsonSize {
    /** JSON.stringify indents by at most ten characters. */
    private static final int MAX_INDENT = 10;

    private final Context cx;
    private final Scriptable scope;
    private final int indent;
    private final long limit;
    private final List<Scriptable> ancestors = new ArrayList<>();
    /** The characters of the objects counted so far, by object and depth (indentation depends on it). */
    private final Map<Scriptable, long[]> counted = new IdentityHashMap<>();
    private long chars;

    private JsonSize(Context cx, Scriptable scope, int indent, long limit) {
        this.cx = cx;
        this.scope = scope;
        this.indent = indent;
        this.limit = limit;
    }

    /**
     * The characters of {@code JSON.stringify(value, null, space)}, {@code indent} being the length of the
     * indentation {@code space} makes; the count stops soon after it passes {@code limit}.
     */
    static long chars(Context cx, Scriptable scope, Object value, int indent, long limit) {
        JsonSize size = new JsonSize(cx, scope, indent, limit);
        size.value("", value, 0);
        return size.chars;
    }

    /** The length of the indentation JSON.stringify makes of its {@code space} argument. */
    static int indent(Object space) {
        if (space instanceof Scriptable object && "Number".equals(object.getClassName())) {
            space = ScriptRuntime.toNumber(object);
        } else if (BuiltinGuards.wrappedString(space) instanceof CharSequence text) {
            space = text;
        }
        if (space instanceof Number number) {
            return (int) Math.max(0, Math.min(MAX_INDENT, ScriptRuntime.toInteger(number.doubleValue())));
        }
        return space instanceof CharSequence text ? Math.min(MAX_INDENT, text.length()) : 0;
    }

    /** @param key the member name or the index (an Integer, made a string only for toJSON) */
    private void value(Object key, Object value, int depth) {
        if (chars > limit) {
            return;
        }
        if (value instanceof Scriptable object && !(value instanceof Callable)
                && ScriptableObject.getProperty(object, "toJSON") instanceof Callable toJson) {
            value = toJson.call(cx, scope, object, new Object[] {key.toString()});
        }
        if (value == null) {
            chars += 4;
        } else if (value instanceof CharSequence text) {
            chars += text.length() + 2;
        } else if (value instanceof Boolean) {
            chars += 5;
        } else if (value instanceof Number number) {
            chars += numberChars(number.doubleValue());
        } else if (value == Undefined.instance || value instanceof Callable || value instanceof Symbol) {
            chars += 0; // left out of objects, null in arrays: either way next to nothing
        } else if (value instanceof Scriptable object) {
            switch (object.getClassName()) {
                case "String" -> chars += stringLength(object) + 2;
                case "Number" -> chars += numberChars(ScriptRuntime.toNumber(object));
                case "Boolean" -> chars += 5;
                case "BigInt" -> { } // JSON.stringify throws
                default -> structure(object, depth);
            }
        }
    }

    private void structure(Scriptable object, int depth) {
        long[] known = counted.get(object);
        if (known != null && known[0] == depth) {
            chars += known[1];
            return;
        }
        for (Scriptable ancestor : ancestors) {
            if (ancestor == object) {
                return; // JSON.stringify throws on cycles
            }
        }
        long start = chars;
        ancestors.add(object);
        try {
            members(object, depth);
        } finally {
            ancestors.remove(ancestors.size() - 1);
        }
        counted.put(object, new long[] {depth, chars - start});
    }

    private void members(Scriptable object, int depth) {
        long perMember = 1 + (indent > 0 ? 1 + (long) indent * (depth + 1) : 0); // comma, newline, indentation
        chars += 2;
        if (ScriptRuntime.isArrayObject(object)) {
            long length = ScriptRuntime.toLength(ScriptableObject.getProperty(object, "length"));
            chars += length * perMember;
            for (int i = 0; i < length && chars <= limit; i++) { // length <= limit here, or the loop stops at once
                Object element = ScriptableObject.getProperty(object, i);
                value(i, element == Scriptable.NOT_FOUND ? null : element, depth + 1);
            }
            return;
        }
        for (Object id : object.getIds()) {
            if (chars > limit) {
                return;
            }
            Object member = id instanceof Integer index ? ScriptableObject.getProperty(object, index)
                    : id instanceof String name ? ScriptableObject.getProperty(object, name) : Scriptable.NOT_FOUND;
            if (member == Scriptable.NOT_FOUND || member == Undefined.instance || member instanceof Callable) {
                continue;
            }
            chars += (id instanceof String name ? name.length() : numberChars((Integer) id)) + 3 + perMember;
            value(id, member, depth + 1);
        }
    }

    private static long stringLength(Scriptable object) {
        CharSequence wrapped = BuiltinGuards.wrappedString(object);
        return (wrapped != null ? wrapped : BuiltinGuards.stringValue(object)).length();
    }

    private static int numberChars(double number) {
        if (number == Math.rint(number) && Math.abs(number) < 1e15) {
            long digits = Math.abs((long) number);
            int chars = number < 0 ? 2 : 1;
            while (digits >= 10) {
                digits /= 10;
                chars++;
            }
            return chars;
        }
        return 24; // the longest a double prints as
    }
}
