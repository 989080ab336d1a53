package dev.arbor.js;

import org.mozilla.javascript.Context;
import org.mozilla.javascript.EcmaError;
import org.mozilla.javascript.JavaScriptException;
import org.mozilla.javascript.NativeJSON;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;

/** How JavaScript failures read in logs and error reasons, and CouchDB's classification of thrown values. */
final class JsErrors {
    private JsErrors() {}

    /** "TypeError: ..." for errors, the JSON of other thrown values ({@code ["error","x","y"]}, objects). */
    static String describe(Context cx, Scriptable scope, Throwable failure) {
        if (failure instanceof JavaScriptException thrown) {
            return describeValue(cx, scope, thrown.getValue());
        }
        if (failure instanceof EcmaError error) {
            return error.getName() + ": " + error.getErrorMessage();
        }
        if (failure instanceof RhinoException rhino) {
            return rhino.details();
        }
        if (failure instanceof StackOverflowError) {
            return "InternalError: too much recursion";
        }
        return failure.toString();
    }

    /**
     * Describes a thrown value within the memory budget of the call that threw it: a thrown string or error message
     * can be as long as any other, and a thrown object's JSON out of all proportion to it (see {@link JsonSize}).
     */
    static String describeValue(Context cx, Scriptable scope, Object value) {
        if (isError(value)) {
            Scriptable error = (Scriptable) value;
            // Error.prototype.toString joins name and message in Java, flattening them there.
            BuiltinGuards.flatten(cx, BuiltinGuards.stringValue(ScriptableObject.getProperty(error, "name")));
            BuiltinGuards.flatten(cx, BuiltinGuards.stringValue(ScriptableObject.getProperty(error, "message")));
            return BuiltinGuards.flatten(cx, BuiltinGuards.stringValue(value));
        }
        if (value instanceof CharSequence text) {
            return BuiltinGuards.flatten(cx, text);
        }
        try {
            if (cx instanceof JsEngine.TimedContext call && call.armed()) {
                call.reserve(Character.BYTES * JsonSize.chars(cx, scope, value, 0, call.headroom() / Character.BYTES));
            }
            Object json = NativeJSON.stringify(cx, scope, value, null, null);
            return json instanceof CharSequence text ? BuiltinGuards.flatten(cx, text) : fallback(cx, value);
        } catch (RuntimeException unserializable) {
            return fallback(cx, value);
        }
    }

    private static String fallback(Context cx, Object value) {
        return BuiltinGuards.flatten(cx, BuiltinGuards.stringValue(value));
    }

    /** CouchDB's test for a real Error (as opposed to a thrown plain value): it has a name and a stack. */
    static boolean isError(Object value) {
        return value instanceof Scriptable object
                && truthy(ScriptableObject.getProperty(object, "name"))
                && truthy(ScriptableObject.getProperty(object, "stack"));
    }

    /** {@code "fatal_error"} or {@code ["fatal", ...]}: CouchDB aborts the whole indexing run for these. */
    static boolean isFatal(Throwable failure) {
        if (!(failure instanceof JavaScriptException thrown)) {
            return false;
        }
        Object value = thrown.getValue();
        if (value instanceof CharSequence text) {
            return text.toString().equals("fatal_error");
        }
        if (value instanceof Scriptable object && ScriptRuntime.isArrayObject(object)) {
            Object first = ScriptableObject.getProperty(object, 0);
            return first instanceof CharSequence text && text.toString().equals("fatal");
        }
        return false;
    }

    private static boolean truthy(Object value) {
        return value != Scriptable.NOT_FOUND && ScriptRuntime.toBoolean(value);
    }
}
