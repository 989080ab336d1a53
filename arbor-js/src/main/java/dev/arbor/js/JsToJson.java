package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Symbol;
import org.mozilla.javascript.Undefined;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a JavaScript value into the Jackson tree that {@code JSON.stringify} followed by Arbor's JSON
 * parser would give, without the text in between: CouchDB ships every emitted key and value through
 * {@code JSON.stringify}, so that is the contract. Numbers print as JavaScript prints them (so
 * {@code 2**64} is {@code 18446744073709552000}), integral ones become Jackson integers and the others
 * exact decimals, as {@link Json#MAPPER} would read them; {@code NaN} and infinities are {@code null};
 * {@code undefined} and functions are dropped from objects and {@code null} in arrays; {@code toJSON}
 * methods (dates) are honoured; cycles and BigInts fail as they do in {@code JSON.stringify}.
 *
 * <p>Used on one thread at a time, inside the {@link Context} of the sandbox that produced the value. The tree is
 * charged to the memory budget of the call being converted: lazily concatenated strings are flattened only if they
 * fit in it, and the meter is read as the tree grows, since a small value can stand for a huge one (an array of
 * length 2**32 with no elements, or an object that holds the same array twice at every level).
 */
final class JsToJson {
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** Integral doubles below this print as their exact digits in JavaScript. */
    private static final double EXACT_INTEGER_LIMIT = 9007199254740992d;
    /** Roughly what a Jackson node costs with its slot in the parent; only decides when to read the meter. */
    private static final long NODE_BYTES = 48;
    /** Estimated bytes of tree between two readings of the meter. */
    private static final long CHECKPOINT_EVERY_BYTES = 1 << 20;

    private final Context cx;
    private final Scriptable scope;
    /** The objects being converted, outermost first, to detect cycles as JSON.stringify does. */
    private final List<Scriptable> ancestors = new ArrayList<>();
    /** The call the value belongs to, or null outside a call. */
    private final JsEngine.TimedContext call;
    private long sinceCheckpoint;

    JsToJson(Context cx, Scriptable scope) {
        this.cx = cx;
        this.scope = scope;
        this.call = cx instanceof JsEngine.TimedContext timed && timed.armed() ? timed : null;
    }

    /** The value as a JSON tree; a top-level {@code undefined} or function is {@code null}, as inside an array. */
    JsonNode convert(Object value) {
        JsonNode node = property("", value);
        return node == null ? NullNode.instance : node;
    }

    /** The JSON of a number as JavaScript prints it, read back as Arbor reads JSON numbers. */
    static JsonNode number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return NullNode.instance;
        }
        if (value == Math.rint(value) && Math.abs(value) < EXACT_INTEGER_LIMIT) {
            long exact = (long) value; // also turns -0 into 0, as JSON.stringify does
            return exact == (int) exact ? IntNode.valueOf((int) exact) : LongNode.valueOf(exact);
        }
        String printed = ScriptRuntime.numberToString(value, 10);
        if (printed.indexOf('.') < 0 && printed.indexOf('e') < 0) {
            return integer(new BigInteger(printed));
        }
        return NODES.numberNode(new BigDecimal(printed));
    }

    static JsonNode integer(BigInteger value) {
        if (value.compareTo(INT_MIN) >= 0 && value.compareTo(INT_MAX) <= 0) {
            return IntNode.valueOf(value.intValue());
        }
        if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
            return LongNode.valueOf(value.longValue());
        }
        return NODES.numberNode(value);
    }

    /** SerializeJSONProperty: {@code null} means "undefined", which the caller omits or writes as null. */
    private JsonNode property(Object key, Object value) {
        if (value instanceof Scriptable object && !(value instanceof Callable)) {
            Object toJson = ScriptableObject.getProperty(object, "toJSON");
            if (toJson instanceof Callable method) {
                value = method.call(cx, scope, object, new Object[] {key});
            }
        }
        charge(NODE_BYTES);
        if (value == null) {
            return NullNode.instance;
        }
        if (value instanceof CharSequence text) {
            return text(text);
        }
        if (value instanceof Boolean bool) {
            return BooleanNode.valueOf(bool);
        }
        if (value instanceof Integer small) {
            return IntNode.valueOf(small);
        }
        if (value instanceof BigInteger) {
            throw ScriptRuntime.typeError("Do not know how to serialize a BigInt");
        }
        if (value instanceof Number number) {
            return number(number.doubleValue());
        }
        if (value == Undefined.instance || value instanceof Callable || value instanceof Symbol) {
            return null;
        }
        if (value instanceof Scriptable object) {
            return switch (object.getClassName()) {
                case "Number" -> number(ScriptRuntime.toNumber(object));
                case "String" -> text(BuiltinGuards.stringValue(object));
                case "Boolean" -> BooleanNode.valueOf(ScriptRuntime.toBoolean(object.getDefaultValue(ScriptRuntime.BooleanClass)));
                case "BigInt" -> throw ScriptRuntime.typeError("Do not know how to serialize a BigInt");
                default -> structure(object);
            };
        }
        return NODES.textNode(value.toString());
    }

    private JsonNode structure(Scriptable object) {
        for (Scriptable ancestor : ancestors) {
            if (ancestor == object) {
                throw ScriptRuntime.typeError("Cyclic structure cannot be converted to JSON");
            }
        }
        if (ancestors.size() >= Json.MAX_NESTING_DEPTH) {
            throw ScriptRuntime.typeError("value nested deeper than " + Json.MAX_NESTING_DEPTH + " levels");
        }
        ancestors.add(object);
        try {
            return ScriptRuntime.isArrayObject(object) ? array(object) : object(object);
        } finally {
            ancestors.remove(ancestors.size() - 1);
        }
    }

    private ArrayNode array(Scriptable array) {
        long length = (long) ScriptRuntime.toNumber(ScriptableObject.getProperty(array, "length"));
        if (call != null) {
            call.reserve(length * Long.BYTES); // a slot per element at the very least, holes included
        }
        ArrayNode result = NODES.arrayNode((int) Math.min(length, 1024));
        for (int i = 0; i < length; i++) {
            Object element = ScriptableObject.getProperty(array, i);
            JsonNode node = property(Integer.toString(i), element == Scriptable.NOT_FOUND ? Undefined.instance : element);
            result.add(node == null ? NullNode.instance : node);
        }
        return result;
    }

    private JsonNode text(CharSequence text) {
        charge(2L * text.length());
        return NODES.textNode(BuiltinGuards.flatten(cx, text));
    }

    private void charge(long bytes) {
        sinceCheckpoint += bytes;
        if (sinceCheckpoint >= CHECKPOINT_EVERY_BYTES && call != null) {
            sinceCheckpoint = 0;
            call.checkpoint();
        }
    }

    private ObjectNode object(Scriptable object) {
        ObjectNode result = NODES.objectNode();
        for (Object id : object.getIds()) {
            Object member;
            String name;
            if (id instanceof Integer index) {
                member = ScriptableObject.getProperty(object, index);
                name = index.toString();
            } else if (id instanceof String text) {
                member = ScriptableObject.getProperty(object, text);
                name = text;
            } else {
                continue; // symbol keys are not serialized
            }
            if (member == Scriptable.NOT_FOUND) {
                continue;
            }
            JsonNode node = property(name, member);
            if (node != null) {
                result.set(name, node);
            }
        }
        return result;
    }
}
