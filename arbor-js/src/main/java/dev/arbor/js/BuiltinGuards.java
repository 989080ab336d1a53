package dev.arbor.js;

import dev.arbor.js.link.MeteredBootstrap;
import dev.arbor.js.link.MeteredString;
import org.mozilla.javascript.BaseFunction;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.ConsString;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.LambdaConstructor;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Symbol;
import org.mozilla.javascript.SymbolKey;
import org.mozilla.javascript.Undefined;
import org.mozilla.javascript.typedarrays.NativeArrayBuffer;
import org.mozilla.javascript.typedarrays.NativeTypedArrayView;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps Rhino's built-in functions within the memory budget of the call running them ({@link JsOptions#memoryBudget()}).
 *
 * <p>JavaScript code allocates little between two looks of Rhino's instruction observer, but one call of a built-in
 * can allocate without bound in Java, where the observer does not look: {@code 'x'.repeat(2 ** 28)},
 * {@code new ArrayBuffer(n)}, {@code new Array(1e6).fill(0)}, {@code JSON.stringify} of an object that holds the
 * same array twice at every level, a string method on a string that concatenation made long (Rhino concatenates
 * lazily and builds the characters when a built-in reads them), or a built-in that copies a large input, called in a
 * loop. So each built-in function of the global scope is replaced by a guard that, before calling it,
 * <ul>
 *   <li>reserves, in the budget, the flattening of the lazily concatenated strings among its receiver and arguments;
 *   <li>reserves what it is about to allocate, for the built-ins whose allocation follows a number or a length
 *       ({@link #ESTIMATES}, and the constructors of array buffers and typed arrays);
 *   <li>reads the meter when its input is large ({@link #LARGE_INPUT}), and every
 *       {@link JsEngine.TimedContext#BUILTIN_CALLS_PER_CHECKPOINT}th call (built-ins calling built-ins, as
 *       {@code String(nestedArrays)} does).
 * </ul>
 * The guards of the Array functions keep to the time limit as well ({@link #INDEX_VISIT_NANOS}). A few frequent
 * functions that allocate nothing in proportion to their input, and take a time in proportion to it only when it
 * exists in memory, are left as they are
 * ({@link #UNGUARDED}), and so are {@code eval} and {@code Function}, whose compiling is reserved by
 * {@link JsEngine.TimedContext} (Rhino recognises direct eval by the identity of its function object). Outside a
 * call (while a sandbox is built) the guards only pass calls on.
 */
final class BuiltinGuards {
    /** Receivers and arguments at least this big (a character counts 1, an array element 8) make a call a checkpoint. */
    static final long LARGE_INPUT = 32 * 1024;
    /**
     * What an element costs when a built-in makes one where there was none: measured on Rhino 1.9.2, 265 bytes for
     * {@code new Array(1e6).fill(0)} and 355 for {@code Array.from({length: 1e6})} (a sparse array's property table),
     * 8 to 50 where the array stays dense. Foreseeing the sparse case fails a dense fill of a million elements too;
     * none is plausible in a design function.
     */
    static final long NEW_ELEMENT_BYTES = 256;
    /**
     * What JSON.parse allocates per character of JSON, reserved before it runs: measured on Rhino 1.9.2, 13 to 16
     * bytes for documents and arrays of strings, 34 for arrays of small objects, 58 for arrays of one-digit numbers.
     * About half the worst case: a 2 MB document parses within the default budget, and no JSON text can make
     * JSON.parse allocate more than twice what is left of it.
     */
    static final long PARSED_BYTES_PER_CHAR = 32;
    /** What a string cut out of another costs with its array slot: measured 67 bytes for {@code s.split('')}. */
    static final long PIECE_BYTES = 72;
    /** A lazily concatenated string costs this much per character to flatten: a char[] and the String made of it. */
    static final long FLATTEN_BYTES_PER_CHAR = 4;
    /**
     * What the Array functions take per index they visit, foreseen before they run. They visit every index below the
     * length in Java, holes included, where neither the instruction observer nor the meter looks; and a sparse array
     * ({@code a[1e9] = 1}) or an array-like ({@code {length: 1e9}}) has a length out of proportion to its memory, so
     * {@code a.indexOf(x)}, {@code a.join('')} or {@code a.sort()} would run half a minute past any time limit. A call
     * whose visits would not fit in the time its call has left fails at once with the timeout, which is what it would
     * have come to. Measured on Rhino 1.9.2 over holes: 20 to 30 ns for indexOf, includes, join, forEach; 400 to
     * 900 ns for toReversed, toSorted and with, which also allocate per index. 100 ns refuses nothing plausible (an
     * array that long and dense would be most of the budget) and lets the slowest overrun by a few times at most.
     */
    static final long INDEX_VISIT_NANOS = 100;
    /** Lengths from which the Array functions are checked against the time left: less takes a fraction of a second. */
    static final long CHECKED_LENGTH = 1 << 20;

    /** What a built-in will allocate, in bytes, foreseen from its receiver and arguments. */
    private interface Estimate {
        long bytes(Invocation call);
    }

    private static final Map<String, Estimate> ESTIMATES = Map.ofEntries(
            Map.entry("String.prototype.repeat", call -> {
                CharSequence text = call.receiverText();
                double count = call.integer(0);
                return text == null || count < 0 || Double.isInfinite(count) ? 0 : charBytes(text.length() * count);
            }),
            Map.entry("String.prototype.padStart", BuiltinGuards::padded),
            Map.entry("String.prototype.padEnd", BuiltinGuards::padded),
            Map.entry("String.prototype.concat", call -> {
                CharSequence text = call.receiverText();
                double length = text == null ? 0 : text.length();
                for (int i = 0; i < call.args.length; i++) {
                    length += call.text(i, "").length();
                }
                return charBytes(length);
            }),
            Map.entry("String.prototype.split", call -> {
                CharSequence text = call.receiverText();
                if (text == null || !call.present(0)) {
                    return 0;
                }
                // A string separator gives at most one piece per separator length; a pattern (or an object that
                // splits by itself), pieces of about four characters, a guess: a pattern that splits every character
                // allocates 4 times what is reserved.
                double pieces = call.args[0] instanceof Scriptable
                        ? text.length() / 4.0 : text.length() / (double) Math.max(1, call.text(0, "").length()) + 1;
                if (call.present(1)) {
                    pieces = Math.min(pieces, ScriptRuntime.toUint32(call.integer(1)));
                }
                return (long) Math.min(Long.MAX_VALUE, pieces * PIECE_BYTES);
            }),
            Map.entry("Array.prototype.join", call -> joined(call, call.text(0, ","))),
            Map.entry("Array.prototype.toString", call -> joined(call, ",")),
            Map.entry("Array.prototype.toLocaleString", call -> joined(call, ",")),
            Map.entry("Array.prototype.fill", call -> {
                double length = call.length(call.thisObj);
                double start = call.present(1) ? relative(call.integer(1), length) : 0;
                double end = call.present(2) ? relative(call.integer(2), length) : length;
                return (long) Math.min(Long.MAX_VALUE, Math.max(0, end - start) * NEW_ELEMENT_BYTES);
            }),
            Map.entry("Array.from", call -> {
                Object items = call.args.length > 0 ? call.args[0] : Undefined.instance;
                return items instanceof Scriptable ? (long) Math.min(Long.MAX_VALUE, call.length(items) * NEW_ELEMENT_BYTES) : 0;
            }),
            Map.entry("JSON.parse", call ->
                    (long) Math.min(Long.MAX_VALUE, call.text(0, "").length() * (double) PARSED_BYTES_PER_CHAR)),
            Map.entry("Function.prototype.apply", call -> argumentList(call, 1)),
            Map.entry("Reflect.apply", call -> argumentList(call, 2)),
            Map.entry("Reflect.construct", call -> argumentList(call, 1)),
            Map.entry("JSON.stringify", call -> {
                Object value = call.args.length > 0 ? call.args[0] : Undefined.instance;
                Object space = call.args.length > 2 ? call.args[2] : Undefined.instance;
                return charBytes(JsonSize.chars(call.cx, call.scope, value, JsonSize.indent(space), call.budgetChars()));
            }));

    /** The global functions whose result can outgrow their argument; the others are constructors or number parsers. */
    private static final List<String> GLOBAL_FUNCTIONS = List.of("decodeURI", "decodeURIComponent", "encodeURI",
            "encodeURIComponent", "escape", "unescape", "uneval");
    /**
     * Constructors whose static functions and prototype methods are guarded. Left out: Number, Boolean, Symbol,
     * Date, Math, whose functions make small results from small inputs.
     */
    private static final List<String> CONSTRUCTORS = List.of("Object", "Array", "String", "RegExp", "Map", "Set",
            "WeakMap", "WeakSet", "Promise", "BigInt", "Error", "ArrayBuffer", "DataView",
            "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
            "BigInt64Array", "BigUint64Array", "Float32Array", "Float64Array");
    /**
     * Methods of guarded constructors left as they are: frequent in map functions, and they allocate nothing in
     * proportion to their input (they read it, or add one element). A guard costs 15 to 70 ns a call, mostly because
     * one guard calling every built-in keeps the JIT from inlining them. Flattening a long string is guarded by the
     * string itself ({@link MeteredString}). Array's indexOf, lastIndexOf and includes are guarded all the same, for
     * their time over a sparse array ({@link #INDEX_VISIT_NANOS}).
     */
    private static final Set<String> UNGUARDED = Set.of(
            "String.prototype.charAt", "String.prototype.charCodeAt", "String.prototype.codePointAt", "String.prototype.at",
            "String.prototype.indexOf", "String.prototype.lastIndexOf", "String.prototype.includes",
            "String.prototype.startsWith", "String.prototype.endsWith", "String.prototype.localeCompare",
            "String.prototype.equals", "String.prototype.equalsIgnoreCase", "String.prototype.valueOf",
            "String.prototype.toString",
            "Array.isArray", "Array.prototype.push", "Array.prototype.pop", "Array.prototype.at",
            "Object.prototype.hasOwnProperty", "Object.prototype.isPrototypeOf", "Object.prototype.propertyIsEnumerable",
            "Object.prototype.valueOf", "Object.prototype.toString", "Object.getPrototypeOf", "Object.is",
            "Map.prototype.get", "Map.prototype.has", "Map.prototype.set", "Map.prototype.delete",
            "Set.prototype.has", "Set.prototype.add", "Set.prototype.delete",
            "WeakMap.prototype.get", "WeakMap.prototype.has", "WeakMap.prototype.set", "WeakMap.prototype.delete",
            "WeakSet.prototype.has", "WeakSet.prototype.add", "WeakSet.prototype.delete");
    /** Constructors that allocate in proportion to their argument, replaced by guarded ones. */
    private static final List<String> ALLOCATING_CONSTRUCTORS = List.of("ArrayBuffer", "Int8Array", "Uint8Array",
            "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "BigInt64Array",
            "BigUint64Array", "Float32Array", "Float64Array");
    private static final List<String> NAMESPACES = List.of("JSON", "Reflect");

    private final Context cx;
    private final ScriptableObject global;
    private final Scriptable objectConstructor;
    private final Function ownKeys;
    private final Function getOwnPropertyDescriptor;
    private final Function defineProperty;
    /** Guards by the function they guard, so that aliases ({@code trimLeft} and {@code trimStart}) stay one function. */
    private final Map<Object, Function> guards = new IdentityHashMap<>();
    private final Set<Object> guardedOwners = Collections.newSetFromMap(new IdentityHashMap<>());

    private BuiltinGuards(Context cx, ScriptableObject global) {
        this.cx = cx;
        this.global = global;
        this.objectConstructor = (Scriptable) global.get("Object", global);
        this.ownKeys = (Function) ScriptableObject.getProperty((Scriptable) global.get("Reflect", global), "ownKeys");
        this.getOwnPropertyDescriptor = (Function) ScriptableObject.getProperty(objectConstructor, "getOwnPropertyDescriptor");
        this.defineProperty = (Function) ScriptableObject.getProperty(objectConstructor, "defineProperty");
    }

    /** Guards the built-ins of a global scope made by {@code initSafeStandardObjects}, in the context that made it. */
    static void install(Context cx, ScriptableObject global) {
        new BuiltinGuards(cx, global).installAll();
    }

    /** The characters of {@code text}, flattening it only if that fits in the budget of the call running. */
    static String flatten(Context cx, CharSequence text) {
        if (!(text instanceof String) && cx instanceof JsEngine.TimedContext call && call.armed()) {
            call.reserve(FLATTEN_BYTES_PER_CHAR * text.length());
        }
        return text.toString();
    }

    /** The characters a String object wraps (what string methods get as {@code this}), as they are; null for anything else. */
    static CharSequence wrappedString(Object value) {
        return value instanceof Scriptable object && "String".equals(object.getClassName())
                ? ScriptRuntime.toCharSequence(object) : null;
    }

    /** ToString as JavaScript does it (a String object's own toString may be replaced), without flattening. */
    static CharSequence stringValue(Object value) {
        Object primitive = value instanceof Scriptable object && !(value instanceof Symbol)
                ? object.getDefaultValue(ScriptRuntime.StringClass) : value;
        return primitive instanceof CharSequence text ? text : ScriptRuntime.toString(primitive);
    }

    private void installAll() {
        for (String name : ALLOCATING_CONSTRUCTORS) {
            replaceConstructor(name);
        }
        Scriptable functionPrototype = ScriptableObject.getFunctionPrototype(global);
        Scriptable objectPrototype = ScriptableObject.getObjectPrototype(global);
        for (String name : CONSTRUCTORS) {
            if (!(global.get(name, global) instanceof Scriptable constructor)) {
                continue;
            }
            guardMethods(constructor, name);
            guardMethods(prototypeOf(constructor), name + ".prototype");
            // The typed arrays share their methods on %TypedArray% and its prototype.
            Scriptable parent = constructor.getPrototype();
            if (parent != null && parent != functionPrototype) {
                guardMethods(parent, "%TypedArray%");
                guardMethods(prototypeOf(parent), "%TypedArray%.prototype");
            }
        }
        for (String name : NAMESPACES) {
            if (global.get(name, global) instanceof Scriptable namespace) {
                guardMethods(namespace, name);
            }
        }
        for (Scriptable iteratorPrototype : iteratorPrototypes()) {
            if (iteratorPrototype != objectPrototype) {
                guardMethods(iteratorPrototype, "%Iterator%");
            }
        }
        for (String name : GLOBAL_FUNCTIONS) {
            if (global.get(name, global) instanceof Function function) {
                global.put(name, global, guard(function, name));
            }
        }
        // apply spreads an array-like of any length into an argument list; call and bind allocate nothing to speak of.
        Object apply = ScriptableObject.getProperty(functionPrototype, "apply");
        if (apply instanceof Function function) {
            functionPrototype.put("apply", functionPrototype, guard(function, "Function.prototype.apply"));
        }
    }

    /** Wraps each function-valued, configurable data property of {@code owner}, keeping its attributes. */
    private void guardMethods(Scriptable owner, String path) {
        if (owner == null || !guardedOwners.add(owner)) {
            return;
        }
        Object keys = ownKeys.call(cx, global, objectConstructor, new Object[] {owner});
        for (Object key : ((NativeArray) keys).toArray()) {
            if ("constructor".equals(key)) {
                continue;
            }
            Object found = getOwnPropertyDescriptor.call(cx, global, objectConstructor, new Object[] {owner, key});
            if (!(found instanceof Scriptable descriptor)) {
                continue;
            }
            Object value = ScriptableObject.getProperty(descriptor, "value");
            if (!(value instanceof Function function) || value instanceof LambdaConstructor
                    || !ScriptRuntime.toBoolean(ScriptableObject.getProperty(descriptor, "configurable"))) {
                continue;
            }
            String name = path + (key instanceof Symbol ? "[" + key + "]" : "." + key);
            if (UNGUARDED.contains(name)) {
                continue;
            }
            ScriptableObject.putProperty(descriptor, "value", guard(function, name));
            defineProperty.call(cx, global, objectConstructor, new Object[] {owner, key, descriptor});
        }
    }

    private Function guard(Function original, String path) {
        return guards.computeIfAbsent(original, unused -> {
            Estimate estimate = ESTIMATES.get(path);
            boolean visitsIndices = path.startsWith("Array.") || path.startsWith("%TypedArray%");
            BaseFunction base = original instanceof BaseFunction function ? function : null;
            String name = base != null ? base.getFunctionName() : path.substring(path.lastIndexOf('.') + 1);
            int length = base != null ? base.getLength() : 0;
            return new LambdaFunction(global, name, length, (lcx, scope, thisObj, args) -> {
                Invocation call = Invocation.checked(lcx, scope, thisObj, args, estimate, visitsIndices);
                Object result = call == null ? original.call(lcx, scope, thisObj, args)
                        : original.call(lcx, scope, call.thisObj, call.args);
                return MeteredBootstrap.metered(result);
            });
        });
    }

    /**
     * Replaces the global constructor {@code name} by one that reserves the bytes of the buffer it is about to make:
     * its length for an ArrayBuffer, elements times element size for a typed array. Same prototype, statics and
     * [[Prototype]], so {@code instanceof} and the inherited %TypedArray% methods work as before.
     */
    private void replaceConstructor(String name) {
        if (!(global.get(name, global) instanceof LambdaConstructor original)) {
            return;
        }
        Object perElement = original.get("BYTES_PER_ELEMENT", original);
        long elementBytes = perElement instanceof Number number ? number.longValue() : 1;
        boolean buffer = name.equals("ArrayBuffer");
        Estimate estimate = call -> {
            Object first = call.args.length > 0 ? call.args[0] : Undefined.instance;
            if (first instanceof NativeArrayBuffer) {
                return 0; // a view over a buffer that exists
            }
            double elements = first instanceof Scriptable ? call.length(first) : call.integer(0);
            return elements > 0 ? (long) Math.min(Long.MAX_VALUE, elements * (buffer ? 1 : elementBytes)) : 0;
        };
        LambdaConstructor replacement = new LambdaConstructor(global, original.getFunctionName(), original.getLength(),
                (lcx, scope, thisObj, args) -> {
                    Invocation call = Invocation.checked(lcx, scope, thisObj, args, estimate, false);
                    return original.call(lcx, scope, thisObj, call == null ? args : call.args);
                },
                (lcx, scope, args) -> {
                    Invocation call = Invocation.checked(lcx, scope, null, args, estimate, false);
                    return original.construct(lcx, scope, call == null ? args : call.args);
                });
        Scriptable prototype = prototypeOf(original);
        replacement.setPrototypeScriptable((ScriptableObject) prototype);
        replacement.setPrototype(original.getPrototype());
        for (Object id : original.getAllIds()) {
            if (id instanceof String key && !Set.of("prototype", "name", "length", "arguments", "caller").contains(key)) {
                replacement.defineProperty(key, original.get(key, original), original.getAttributes(key));
            }
        }
        prototype.put("constructor", prototype, replacement);
        global.put(name, global, replacement);
    }

    /** The prototypes of the iterators built-ins return: their {@code next} drives {@code for...of} and spreading. */
    private List<Scriptable> iteratorPrototypes() {
        List<Scriptable> prototypes = new ArrayList<>();
        Object[] iterables = {cx.newArray(global, 0), "", cx.newObject(global, "Map"), cx.newObject(global, "Set")};
        for (Object iterable : iterables) {
            Scriptable object = ScriptRuntime.toObject(cx, global, iterable);
            if (ScriptableObject.getProperty(object, SymbolKey.ITERATOR) instanceof Callable iterate
                    && iterate.call(cx, global, object, ScriptRuntime.emptyArgs) instanceof Scriptable iterator) {
                prototypes.add(iterator.getPrototype());
            }
        }
        return prototypes;
    }

    private static Scriptable prototypeOf(Scriptable constructor) {
        return ScriptableObject.getProperty(constructor, "prototype") instanceof Scriptable prototype ? prototype : null;
    }

    private static long padded(Invocation call) {
        CharSequence text = call.receiverText();
        double target = call.integer(0);
        CharSequence filler = call.text(1, " ");
        return text == null || filler.length() == 0 || target <= text.length() ? 0 : charBytes(target);
    }

    /** The characters of the elements (those that are strings already) and the separators between them. */
    private static long joined(Invocation call, CharSequence separator) {
        double length = call.length(call.thisObj);
        double chars = Math.max(0, length - 1) * separator.length();
        if (call.thisObj instanceof NativeArray array) {
            long counted = (long) Math.min(length, LARGE_INPUT);
            for (int i = 0; i < counted; i++) {
                if (array.get(i, array) instanceof CharSequence element) {
                    chars += element.length();
                }
            }
        }
        return charBytes(chars);
    }

    private static long argumentList(Invocation call, int index) {
        Object list = index < call.args.length ? call.args[index] : Undefined.instance;
        return list instanceof Scriptable ? (long) Math.min(Long.MAX_VALUE, call.length(list) * Long.BYTES) : 0;
    }

    /** A relative index as the Array methods resolve it. */
    private static double relative(double index, double length) {
        if (Double.isNaN(index)) {
            return 0;
        }
        return index < 0 ? Math.max(length + index, 0) : Math.min(index, length);
    }

    private static long charBytes(double chars) {
        return (long) Math.min(Long.MAX_VALUE, Math.max(0, chars) * Character.BYTES);
    }

    /**
     * One guarded call on its way to the built-in. The estimates convert the receiver and arguments they read
     * (ToString, ToNumber: JavaScript may run) and pass the converted values on, so each conversion runs once.
     */
    private static final class Invocation {
        final Context cx;
        final Scriptable scope;
        final JsEngine.TimedContext timed;
        Scriptable thisObj;
        final Object[] args;

        private Invocation(JsEngine.TimedContext timed, Scriptable scope, Scriptable thisObj, Object[] args) {
            this.cx = timed;
            this.timed = timed;
            this.scope = scope;
            this.thisObj = thisObj;
            this.args = args;
        }

        /**
         * Checks a call; null when there is nothing to check (no call is running) or nothing was converted.
         *
         * @param visitsIndices whether the built-in visits every index below the length of its receiver and arguments
         */
        static Invocation checked(Context cx, Scriptable scope, Scriptable thisObj, Object[] args, Estimate estimate,
                                  boolean visitsIndices) {
            if (!(cx instanceof JsEngine.TimedContext timed) || !timed.armed()) {
                return null;
            }
            if (visitsIndices) {
                double indices = longestLength(thisObj, args);
                if (indices >= CHECKED_LENGTH) {
                    timed.reserveTime((long) Math.min(Long.MAX_VALUE, indices * INDEX_VISIT_NANOS));
                }
            }
            Invocation call = null;
            if (estimate != null) {
                call = new Invocation(timed, scope, thisObj, args.clone());
                timed.reserve(estimate.bytes(call));
                thisObj = call.thisObj;
                args = call.args;
            }
            long flattening = 0;
            long input = 0;
            CharSequence receiver = wrappedString(thisObj);
            if (receiver != null) {
                flattening += flatteningBytes(receiver);
                input += receiver.length();
            } else {
                input += elements(thisObj) * Long.BYTES;
            }
            for (Object arg : args) {
                if (arg instanceof CharSequence text) {
                    flattening += flatteningBytes(text);
                    input += text.length();
                } else {
                    input += elements(arg) * Long.BYTES;
                }
            }
            timed.reserve(flattening);
            if (input >= LARGE_INPUT || timed.builtinCallDue()) {
                timed.checkpoint();
            }
            return call;
        }

        /** The receiver as a string, converted once; null when there is none (the built-in will throw). */
        CharSequence receiverText() {
            CharSequence wrapped = wrappedString(thisObj);
            if (wrapped != null) {
                return wrapped;
            }
            if (thisObj == null || thisObj == Undefined.instance) {
                return null;
            }
            CharSequence text = stringValue(thisObj);
            thisObj = ScriptRuntime.toObject(cx, scope, text);
            return text;
        }

        boolean present(int index) {
            return index < args.length && args[index] != Undefined.instance;
        }

        /** Argument {@code index} as ToIntegerOrInfinity reads it (NaN when absent), converted once. */
        double integer(int index) {
            if (index >= args.length) {
                return Double.NaN;
            }
            double number = args[index] instanceof Number value ? value.doubleValue() : ScriptRuntime.toNumber(args[index]);
            args[index] = number;
            return Double.isNaN(number) || Double.isInfinite(number) ? number : (number < 0 ? Math.ceil(number) : Math.floor(number));
        }

        /** Argument {@code index} as a string, converted once; {@code absent} when undefined or missing. */
        CharSequence text(int index, String absent) {
            if (index >= args.length || args[index] == Undefined.instance) {
                return absent;
            }
            CharSequence text = args[index] instanceof CharSequence value ? value : stringValue(args[index]);
            args[index] = text;
            return text;
        }

        /** The length of an array-like (0 when it has none). */
        double length(Object value) {
            if (value instanceof NativeArray array) {
                return array.getLength();
            }
            if (value instanceof CharSequence text) {
                return text.length();
            }
            if (value instanceof Scriptable object) {
                Object length = ScriptableObject.getProperty(object, "length");
                return length == Scriptable.NOT_FOUND ? 0 : ScriptRuntime.toLength(length);
            }
            return 0;
        }

        /** What is left of the budget in characters: more would not fit. */
        long budgetChars() {
            return timed.headroom() / Character.BYTES;
        }

        /**
         * The longest length among the receiver and the arguments that are arrays or array-likes: the built-in reads
         * their {@code length} too ({@code concat} visits its arguments, {@code Array.from} its first).
         */
        private static double longestLength(Scriptable thisObj, Object[] args) {
            double longest = indexCount(thisObj);
            for (Object arg : args) {
                longest = Math.max(longest, indexCount(arg));
            }
            return longest;
        }

        private static double indexCount(Object value) {
            if (value instanceof NativeArray array) {
                return array.getLength();
            }
            if (value instanceof ScriptableObject object && !(value instanceof Function)
                    && ScriptableObject.getProperty(object, "length") instanceof Number length) {
                return ScriptRuntime.toLength(length);
            }
            return 0;
        }

        private static long flatteningBytes(CharSequence text) {
            // A MeteredString asks for itself, and only the first time.
            return text instanceof ConsString && !(text instanceof MeteredString) ? FLATTEN_BYTES_PER_CHAR * text.length() : 0;
        }

        private static long elements(Object value) {
            if (value instanceof NativeArray array) {
                return array.getLength();
            }
            if (value instanceof NativeTypedArrayView<?> view) {
                return view.getArrayLength();
            }
            if (value instanceof NativeArrayBuffer buffer) {
                return buffer.getLength() / Long.BYTES;
            }
            return 0;
        }
    }
}
