package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.arbor.core.error.ArborException;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.LambdaFunction;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.json.JsonParser;
import org.mozilla.javascript.RhinoException;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Undefined;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One JavaScript global scope with CouchDB's sandbox ({@code emit}, {@code log}, {@code sum},
 * {@code toJSON}, {@code isArray}, {@code require}, {@code JSON}) and one design document's functions
 * instantiated in it: what one couchjs process holds for a design doc.
 *
 * <p>Not thread-safe, by design: Rhino scopes and contexts must not be used by two threads at once.
 * A sandbox is used by one thread at a time, handed out by {@link SandboxPool}; it keeps its own
 * {@link Context} so that a call costs no context set-up.
 *
 * <p>Map and reduce functions live in a scope whose {@code require} sees only {@code views.lib};
 * validate and filter functions in one whose {@code require} sees the whole design document (CouchDB's
 * {@code add_lib} versus {@code ddoc} commands). Both inherit the global scope.
 *
 * <p>Each call runs within {@link JsOptions#timeout()} and {@link JsOptions#memoryBudget()} (see {@link JsEngine});
 * its built-in functions are guarded by {@link BuiltinGuards}. A call that runs out of either fails with CouchDB's
 * {@code os_process_error}; after a timeout the sandbox answers the next call normally, after a memory failure it
 * is {@linkplain #reusable() discarded}, as CouchDB replaces a couchjs process that died. It is discarded as well once
 * its calls have allocated {@link #RETIRE_AFTER_BUDGETS} budgets, which bounds what they can keep in it.
 */
final class Sandbox {
    private static final Script PRELUDE = compilePrelude();
    /**
     * Bounds what a sandbox keeps between calls. A function can keep what it allocates in a global, on {@code this} or
     * in a closure, each call well within its budget, so that a pooled sandbox would grow for as long as it is reused.
     * Whatever it keeps, one of its calls allocated; so once its calls have allocated this many budgets between them
     * ({@link SandboxMeter}), the sandbox is retired after the call and a fresh one, with a fresh global scope, serves
     * the next. What it can keep is then under this many budgets plus the last call's one, 320 MiB by default. Garbage
     * counts as if kept, which is what lets the bound do without a look at the heap. The price is a rebuild per so
     * many budgets allocated: about 2 ms of CPU (it runs cold, being rare), once per 50,000 or so calls of an ordinary
     * map; with the meter's readings, ordinary maps run 1 to 3% slower (measured, see docs/architecture.md). One
     * budget would keep less, at 4 to 5%; a rebuild costs what it does mostly for the guards of the built-ins
     * ({@link BuiltinGuards}).
     */
    static final int RETIRE_AFTER_BUDGETS = 4;

    private final DesignDocScripts scripts;
    private final JsOptions options;
    private final Context cx;
    private final JsEngine.TimedContext timed;
    private final ScriptableObject global;
    private final Scriptable viewScope;
    private final Scriptable ddocScope;
    private final Scriptable designDoc;
    private final JsonParser jsonParser;
    private final Function objectFreeze;
    private final Function[] maps;
    private final Function[] reduces;
    private final Function validate;
    private final Map<String, Function> filters = new HashMap<>();
    /** The {@code emit} calls of the map function running now; null when none is (emit is then a no-op). */
    private List<Object[]> emitted;
    /**
     * What the running call logs, published when it ends: a call that moves to a platform thread runs again there
     * and logs again, so what it logged before moving is dropped.
     */
    private final List<String> pendingLog = new ArrayList<>();
    private boolean inCall;
    /**
     * The deadline the next call keeps (see {@link #continueBefore}), set by the pool, whose clock starts before the
     * call waits for its share of the heap, and for a call moved from another thread; read when {@link #deadlineSet}.
     */
    private long presetDeadline;
    private boolean deadlineSet;
    /**
     * Cleared when a call fails for memory, and when the calls made here have allocated {@link #RETIRE_AFTER_BUDGETS}
     * budgets between them. What a call allocated may still be reachable from the global scope (a global array it kept
     * filling), which a pooled sandbox would hold for good; and an OutOfMemoryError may have stopped Rhino half way
     * through updating an object (a property table being resized).
     */
    private boolean reusable = true;
    private final SandboxMeter meter = new SandboxMeter();
    /** The strings of the design document as parsed here, by identity: the sources {@code require} may compile. */
    private final Set<String> designDocStrings = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Object> compiledModules = new IdentityHashMap<>();

    Sandbox(DesignDocScripts scripts, JsOptions options) {
        this.scripts = scripts;
        this.options = options;
        this.cx = JsEngine.INSTANCE.enterContext();
        this.timed = (JsEngine.TimedContext) cx;
        try {
            global = cx.initSafeStandardObjects();
            global.defineProperty("emit", new LambdaFunction(global, "emit", 2, (lcx, scope, self, args) -> {
                if (emitted != null) {
                    emitted.add(new Object[] {argument(args, 0), argument(args, 1)});
                }
                return Undefined.instance;
            }), ScriptableObject.DONTENUM);
            global.defineProperty("__log", new LambdaFunction(global, "__log", 1, (lcx, scope, self, args) -> {
                log(BuiltinGuards.flatten(lcx, BuiltinGuards.stringValue(argument(args, 0))));
                return Undefined.instance;
            }), ScriptableObject.DONTENUM | ScriptableObject.READONLY);
            global.defineProperty("__compileModule", new LambdaFunction(global, "__compileModule", 2, (lcx, scope, self, args) ->
                    compileModule(argument(args, 0), ScriptRuntime.toString(argument(args, 1)))),
                    ScriptableObject.DONTENUM | ScriptableObject.READONLY);
            // Taken before the guards wrap it: freezing the parsed document is the server's work, not the function's.
            objectFreeze = (Function) ((Scriptable) global.get("Object", global)).get("freeze", global);
            BuiltinGuards.install(cx, global);
            PRELUDE.exec(cx, global, global);
            jsonParser = new JsonParser(cx, global);
            Function makeRequire = (Function) global.get("__makeRequire", global);

            designDoc = (Scriptable) parse(scripts.designDoc());
            Object viewRequireRoot = parse(scripts.viewRequireRoot());
            collectStrings(designDoc, designDocStrings);
            collectStrings(viewRequireRoot, designDocStrings);
            viewScope = childScope(makeRequire.call(cx, global, global, new Object[] {viewRequireRoot}));
            ddocScope = childScope(makeRequire.call(cx, global, global, new Object[] {designDoc}));

            maps = new Function[scripts.maps().size()];
            reduces = new Function[scripts.reduces().size()];
            for (int i = 0; i < maps.length; i++) {
                maps[i] = instantiate(scripts.maps().get(i), viewScope);
                FunctionSource reduce = scripts.reduces().get(i);
                reduces[i] = reduce == null ? null : instantiate(reduce, viewScope);
            }
            validate = scripts.validate() == null ? null : instantiate(scripts.validate(), ddocScope);
            scripts.filters().forEach((name, source) -> filters.put(name, instantiate(source, ddocScope)));
        } finally {
            Context.exit();
        }
    }

    /** Runs map function {@code view} on a document; a JavaScript error is logged and emits nothing. */
    List<Emit> map(int view, String docJson) {
        String function = scripts.maps().get(view).label();
        return call(function, () -> {
            Object doc = parse(docJson);
            freeze(doc);
            timed.startMeter();
            emitted = new ArrayList<>(2);
            try {
                maps[view].call(cx, viewScope, viewScope, new Object[] {doc});
                JsToJson json = new JsToJson(cx, global);
                List<Emit> result = new ArrayList<>(emitted.size());
                for (Object[] keyValue : emitted) {
                    result.add(new Emit(json.convert(keyValue[0]), json.convert(keyValue[1])));
                }
                return result;
            } catch (RhinoException | StackOverflowError failure) {
                if (JsErrors.isFatal(failure)) {
                    throw new ArborException.Internal("map_runtime_error: function raised 'fatal_error'", failure);
                }
                Object id = doc instanceof Scriptable object ? ScriptableObject.getProperty(object, "_id") : null;
                log("function raised exception " + JsErrors.describe(cx, global, failure)
                        + " with doc._id " + (id instanceof CharSequence text ? text : "undefined")
                        + " in " + function + " of " + scripts.docId());
                return List.of();
            } finally {
                emitted = null;
            }
        });
    }

    /**
     * Runs JavaScript reduce function {@code view} as CouchDB's {@code reduce}/{@code rereduce} commands
     * do; {@code keysJson} is {@code null} for a rereduce. An error is logged and reduces to {@code null}.
     */
    JsonNode reduce(int view, String keysJson, String valuesJson, boolean rereduce) {
        String function = scripts.reduces().get(view).label();
        return call(function, () -> {
            Object keys = keysJson == null ? null : parse(keysJson);
            Object values = parse(valuesJson);
            timed.startMeter();
            try {
                Object result = reduces[view].call(cx, viewScope, viewScope, new Object[] {keys, values, rereduce});
                return new JsToJson(cx, global).convert(result);
            } catch (RhinoException | StackOverflowError failure) {
                if (JsErrors.isFatal(failure)) {
                    throw new ArborException.Internal("reduce_runtime_error: function raised 'fatal_error'", failure);
                }
                log("function raised exception " + JsErrors.describe(cx, global, failure) + " in " + function + " of " + scripts.docId());
                return NullNode.instance;
            }
        });
    }

    /**
     * Runs {@code validate_doc_update} with {@code this} the design document. Returns what CouchDB's
     * validate.js responds: {@code null} for a pass, else the thrown value (a String, or JSON of an
     * object). A real Error (name and stack) propagates as CouchDB rethrows it.
     */
    ValidationOutcome validate(String newDoc, String oldDoc, String userCtx, String secObj) {
        return call("validate_doc_update", () -> {
            Object[] args = {parse(newDoc), parse(oldDoc), parse(userCtx), parse(secObj)};
            timed.startMeter();
            try {
                validate.call(cx, ddocScope, designDoc, args);
                return new ValidationOutcome.Passed();
            } catch (org.mozilla.javascript.JavaScriptException thrown) {
                Object value = thrown.getValue();
                if (JsErrors.isError(value)) {
                    return new ValidationOutcome.Failed(JsErrors.describeValue(cx, global, value));
                }
                return new ValidationOutcome.Rejected(new JsToJson(cx, global).convert(value));
            } catch (RhinoException | StackOverflowError failure) {
                return new ValidationOutcome.Failed(JsErrors.describe(cx, global, failure));
            }
        });
    }

    /** Runs filter {@code name} with {@code this} the design document; true when the result is truthy. */
    boolean filter(String name, String docJson, String reqJson) {
        return call("filters." + name, () -> {
            Object[] args = {parse(docJson), parse(reqJson)};
            timed.startMeter();
            try {
                return ScriptRuntime.toBoolean(filters.get(name).call(cx, ddocScope, designDoc, args));
            } catch (RhinoException | StackOverflowError failure) {
                // CouchDB answers a filter that throws with 500 {"error":"error"}: the user's code failed, not Arbor.
                throw new ArborException.QueryFailed("error", "filter " + name + " of " + scripts.docId() + " failed: "
                        + JsErrors.describe(cx, global, failure));
            }
        });
    }

    /** Whether the sandbox may serve further calls; see {@link SandboxPool}. */
    boolean reusable() {
        return reusable;
    }

    /**
     * Makes the next call keep {@code deadline} (a nanoTime): its time limit started before it reached the sandbox,
     * or it continues a call that started on another thread.
     */
    void continueBefore(long deadline) {
        presetDeadline = deadline;
        deadlineSet = true;
    }

    /**
     * Object.freeze, recursively, as CouchDB's recursivelySeal does to each document: writes are then
     * ignored (sloppy code) or throw (strict code). Done here rather than in JavaScript, where the
     * property walk cost more than the map itself.
     */
    private void freeze(Object value) {
        if (!(value instanceof ScriptableObject object) || !object.isExtensible()) {
            return;
        }
        if (object instanceof NativeArray array) {
            // Rhino's dense arrays keep their own element storage: only Object.freeze itself reaches it.
            for (Object element : array) {
                freeze(element);
            }
            objectFreeze.call(cx, global, global, new Object[] {array});
            return;
        }
        for (Object id : object.getIds()) {
            if (id instanceof Integer index) {
                freeze(object.get(index, object));
                object.setAttributes(index, ScriptableObject.READONLY | ScriptableObject.PERMANENT);
            } else if (id instanceof String name) {
                freeze(object.get(name, object));
                object.setAttributes(name, ScriptableObject.READONLY | ScriptableObject.PERMANENT);
            }
        }
        object.preventExtensions();
    }

    /**
     * Runs one call of design function {@code function} in this sandbox's context, within its deadline and memory
     * budget (see {@link JsOptions}); {@code work} parses the arguments, starts the meter, calls and converts.
     */
    private <T> T call(String function, Supplier<T> work) {
        long meterAtStart = meter.callStarting();
        JsEngine.INSTANCE.enterContext(cx);
        long deadline = deadlineSet ? presetDeadline : System.nanoTime() + options.timeout().toNanos();
        deadlineSet = false;
        timed.arm(deadline, options.memoryBudget());
        inCall = true;
        boolean abandoned = false;
        try {
            T result = work.get();
            // What the call allocated after its last checkpoint (a built-in's work, the conversion) counts too.
            timed.finalCheckpoint();
            return result;
        } catch (JsEngine.NeedsMeteredThread moving) {
            abandoned = true;
            throw moving;
        } catch (JsEngine.Timeout timeout) {
            throw timedOut(function, timeout);
        } catch (JsEngine.MemoryBudgetExceeded over) {
            reusable = false;
            throw overBudget(function, over);
        } catch (OutOfMemoryError exhausted) {
            // The last resort, for allocations no guard foresaw. Safe for this thread when the allocation that failed
            // was one large block (a string or array built at once): it was never made, so the heap is as before and
            // the other threads saw at most a full collection. It does not make a slow fill of the heap safe: by the
            // time such a fill fails, other threads may have failed too. See BuiltinGuards for what is foreseen.
            reusable = false;
            throw outOfMemory(function, exhausted);
        } finally {
            inCall = false;
            timed.disarm();
            Context.exit();
            publishLog(abandoned);
            meter.callEnded(meterAtStart);
            if (meter.allocated() >= RETIRE_AFTER_BUDGETS * options.memoryBudget()) {
                reusable = false;
            }
        }
    }

    private void log(String line) {
        if (inCall) {
            pendingLog.add(line);
        } else {
            options.log().accept(line);
        }
    }

    private void publishLog(boolean abandoned) {
        if (pendingLog.isEmpty()) {
            return;
        }
        List<String> lines = List.copyOf(pendingLog);
        pendingLog.clear();
        if (!abandoned) {
            lines.forEach(options.log());
        }
    }

    /**
     * CouchDB's answer when a design function outlives {@code os_process_timeout} (its couchjs process is killed):
     * {@code os_process_error}, which fails the index update, write or changes feed that called it.
     */
    private ArborException.Internal timedOut(String function, JsEngine.Timeout timeout) {
        return new ArborException.Internal("os_process_error: OS process timed out (" + function + " of " + scripts.docId()
                + " ran over " + options.timeout().toMillis() + " ms)", timeout);
    }

    /** CouchDB's answer when couchjs dies of its heap limit, for a call that ran over {@link JsOptions#memoryBudget()}. */
    private ArborException.Internal overBudget(String function, JsEngine.MemoryBudgetExceeded over) {
        return new ArborException.Internal("os_process_error: OS process exceeded its memory budget (" + function + " of "
                + scripts.docId() + " allocated over " + options.memoryBudget() + " bytes)", over);
    }

    private ArborException.Internal outOfMemory(String function, OutOfMemoryError exhausted) {
        return new ArborException.Internal("os_process_error: OS process ran out of memory (" + function + " of "
                + scripts.docId() + ": " + exhausted.getMessage() + ")", exhausted);
    }

    /**
     * Compiles a CommonJS module for {@code require}. A module of the design document is compiled once per sandbox
     * and outside the budget of the call that first requires it, as the design document's own functions are: it is
     * the server loading the design document (Rhino allocates about 100 bytes per character compiling, so a large
     * library would otherwise not fit). Any other source (the function can call this with a string it made) is
     * compiled at the call's expense.
     */
    private Object compileModule(Object source, String name) {
        if (source instanceof String text && designDocStrings.contains(text)) {
            Object compiled = compiledModules.get(text);
            if (compiled == null) {
                compiled = timed.uncharged(() -> compileModuleSource(text, name));
                compiledModules.put(text, compiled);
            }
            return compiled;
        }
        return compileModuleSource(BuiltinGuards.flatten(cx, BuiltinGuards.stringValue(source)), name);
    }

    private Object compileModuleSource(String source, String name) {
        return cx.compileFunction(global, "function (module, exports, require) { " + source + "\n}", name, 1, null);
    }

    private static void collectStrings(Object value, Set<String> strings) {
        if (value instanceof String text) {
            strings.add(text);
        } else if (value instanceof Scriptable object) {
            for (Object id : object.getIds()) {
                collectStrings(id instanceof Integer index ? object.get(index, object) : object.get(id.toString(), object), strings);
            }
        }
    }

    /** JSON.parse without a reviver (the fast path measured in DESIGN.md). */
    private Object parse(String json) {
        try {
            return jsonParser.parseValue(json);
        } catch (JsonParser.ParseException malformed) {
            throw new ArborException.BadRequest("bad_request", "invalid JSON given to a design function: " + malformed.getMessage());
        }
    }

    private Scriptable childScope(Object require) {
        Scriptable scope = cx.newObject(global);
        scope.setPrototype(global);
        scope.setParentScope(null);
        ScriptableObject.defineProperty(scope, "require", require, ScriptableObject.DONTENUM);
        return scope;
    }

    /** Evaluates a compiled source to its function object in {@code scope}; anything else is a compilation_error. */
    private Function instantiate(FunctionSource source, Scriptable scope) {
        Object value;
        try {
            value = source.script().exec(cx, scope, scope);
        } catch (RhinoException failure) {
            throw FunctionSource.compilationError(source.label() + ": ", JsErrors.describe(cx, global, failure), source.source());
        }
        if (value instanceof Function function) {
            return function;
        }
        throw FunctionSource.compilationError(source.label() + ": ", "Expression does not eval to a function.", source.source());
    }

    private static Object argument(Object[] args, int index) {
        return index < args.length ? args[index] : Undefined.instance;
    }

    private static Script compilePrelude() {
        try (InputStream in = Sandbox.class.getResourceAsStream("sandbox.js")) {
            if (in == null) {
                throw new IllegalStateException("sandbox.js is missing from the arbor-js jar");
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Context cx = JsEngine.INSTANCE.enterContext();
            try {
                return cx.compileString(source, "sandbox.js", 1, null);
            } finally {
                Context.exit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
