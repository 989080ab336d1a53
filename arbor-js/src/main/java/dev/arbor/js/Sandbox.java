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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 */
final class Sandbox {
    private static final Script PRELUDE = compilePrelude();

    private final DesignDocScripts scripts;
    private final JsOptions options;
    private final Context cx;
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

    Sandbox(DesignDocScripts scripts, JsOptions options) {
        this.scripts = scripts;
        this.options = options;
        this.cx = JsEngine.INSTANCE.enterContext();
        try {
            global = cx.initSafeStandardObjects();
            global.defineProperty("emit", new LambdaFunction(global, "emit", 2, (lcx, scope, self, args) -> {
                if (emitted != null) {
                    emitted.add(new Object[] {argument(args, 0), argument(args, 1)});
                }
                return Undefined.instance;
            }), ScriptableObject.DONTENUM);
            global.defineProperty("__log", new LambdaFunction(global, "__log", 1, (lcx, scope, self, args) -> {
                options.log().accept(ScriptRuntime.toString(argument(args, 0)));
                return Undefined.instance;
            }), ScriptableObject.DONTENUM | ScriptableObject.READONLY);
            global.defineProperty("__compileModule", new LambdaFunction(global, "__compileModule", 2, (lcx, scope, self, args) ->
                    lcx.compileFunction(global, "function (module, exports, require) { " + ScriptRuntime.toString(argument(args, 0)) + "\n}",
                            ScriptRuntime.toString(argument(args, 1)), 1, null)), ScriptableObject.DONTENUM | ScriptableObject.READONLY);
            PRELUDE.exec(cx, global, global);
            jsonParser = new JsonParser(cx, global);
            objectFreeze = (Function) ((Scriptable) global.get("Object", global)).get("freeze", global);
            Function makeRequire = (Function) global.get("__makeRequire", global);

            designDoc = (Scriptable) parse(scripts.designDoc());
            viewScope = childScope(makeRequire.call(cx, global, global, new Object[] {parse(scripts.viewRequireRoot())}));
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
        enter();
        try {
            Object doc = parse(docJson);
            freeze(doc);
            emitted = new ArrayList<>(2);
            try {
                maps[view].call(cx, viewScope, viewScope, new Object[] {doc});
                JsToJson json = new JsToJson(cx, global);
                List<Emit> result = new ArrayList<>(emitted.size());
                for (Object[] keyValue : emitted) {
                    result.add(new Emit(json.convert(keyValue[0]), json.convert(keyValue[1])));
                }
                return result;
            } catch (JsEngine.Timeout timeout) {
                throw timedOut(scripts.maps().get(view).label(), timeout);
            } catch (RhinoException | StackOverflowError failure) {
                if (JsErrors.isFatal(failure)) {
                    throw new ArborException.Internal("map_runtime_error: function raised 'fatal_error'", failure);
                }
                Object id = doc instanceof Scriptable object ? ScriptableObject.getProperty(object, "_id") : null;
                options.log().accept("function raised exception " + JsErrors.describe(cx, global, failure)
                        + " with doc._id " + (id instanceof CharSequence text ? text : "undefined")
                        + " in " + scripts.maps().get(view).label() + " of " + scripts.docId());
                return List.of();
            } finally {
                emitted = null;
            }
        } finally {
            Context.exit();
        }
    }

    /**
     * Runs JavaScript reduce function {@code view} as CouchDB's {@code reduce}/{@code rereduce} commands
     * do; {@code keysJson} is {@code null} for a rereduce. An error is logged and reduces to {@code null}.
     */
    JsonNode reduce(int view, String keysJson, String valuesJson, boolean rereduce) {
        enter();
        try {
            Object keys = keysJson == null ? null : parse(keysJson);
            Object values = parse(valuesJson);
            try {
                Object result = reduces[view].call(cx, viewScope, viewScope, new Object[] {keys, values, rereduce});
                return new JsToJson(cx, global).convert(result);
            } catch (JsEngine.Timeout timeout) {
                throw timedOut(scripts.reduces().get(view).label(), timeout);
            } catch (RhinoException | StackOverflowError failure) {
                if (JsErrors.isFatal(failure)) {
                    throw new ArborException.Internal("reduce_runtime_error: function raised 'fatal_error'", failure);
                }
                options.log().accept("function raised exception " + JsErrors.describe(cx, global, failure)
                        + " in " + scripts.reduces().get(view).label() + " of " + scripts.docId());
                return NullNode.instance;
            }
        } finally {
            Context.exit();
        }
    }

    /**
     * Runs {@code validate_doc_update} with {@code this} the design document. Returns what CouchDB's
     * validate.js responds: {@code null} for a pass, else the thrown value (a String, or JSON of an
     * object). A real Error (name and stack) propagates as CouchDB rethrows it.
     */
    ValidationOutcome validate(String newDoc, String oldDoc, String userCtx, String secObj) {
        enter();
        try {
            Object[] args = {parse(newDoc), parse(oldDoc), parse(userCtx), parse(secObj)};
            try {
                validate.call(cx, ddocScope, designDoc, args);
                return new ValidationOutcome.Passed();
            } catch (JsEngine.Timeout timeout) {
                throw timedOut("validate_doc_update", timeout);
            } catch (org.mozilla.javascript.JavaScriptException thrown) {
                Object value = thrown.getValue();
                if (JsErrors.isError(value)) {
                    return new ValidationOutcome.Failed(JsErrors.describeValue(cx, global, value));
                }
                return new ValidationOutcome.Rejected(new JsToJson(cx, global).convert(value));
            } catch (RhinoException | StackOverflowError failure) {
                return new ValidationOutcome.Failed(JsErrors.describe(cx, global, failure));
            }
        } finally {
            Context.exit();
        }
    }

    /** Runs filter {@code name} with {@code this} the design document; true when the result is truthy. */
    boolean filter(String name, String docJson, String reqJson) {
        enter();
        try {
            Object[] args = {parse(docJson), parse(reqJson)};
            try {
                return ScriptRuntime.toBoolean(filters.get(name).call(cx, ddocScope, designDoc, args));
            } catch (JsEngine.Timeout timeout) {
                throw timedOut("filters." + name, timeout);
            } catch (RhinoException | StackOverflowError failure) {
                // CouchDB answers a filter that throws with 500 {"error":"error"}: the user's code failed, not Arbor.
                throw new ArborException.QueryFailed("error", "filter " + name + " of " + scripts.docId() + " failed: "
                        + JsErrors.describe(cx, global, failure));
            }
        } finally {
            Context.exit();
        }
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

    /** Enters this sandbox's context and starts the clock of the call (see {@link JsOptions#timeout()}). */
    private void enter() {
        JsEngine.INSTANCE.enterContext(cx);
        ((JsEngine.TimedContext) cx).arm(options.timeout());
    }

    /**
     * CouchDB's answer when a design function outlives {@code os_process_timeout} (its couchjs process is killed):
     * {@code os_process_error}, which fails the index update, write or changes feed that called it.
     */
    private ArborException.Internal timedOut(String function, JsEngine.Timeout timeout) {
        return new ArborException.Internal("os_process_error: OS process timed out (" + function + " of " + scripts.docId()
                + " ran over " + options.timeout().toMillis() + " ms)", timeout);
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
