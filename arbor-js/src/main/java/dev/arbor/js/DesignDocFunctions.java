package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JavaScript of one CouchDB design document, compiled: its views' map and reduce functions,
 * {@code validate_doc_update} and {@code filters}, each run in CouchDB's sandbox.
 *
 * <p>Every function is compiled to JVM bytecode once, here; syntax errors are CouchDB's
 * {@code compilation_error} (400) and unknown built-in reduces its {@code invalid_design_doc} (400).
 * The compiled code is shared; the JavaScript state (global scope and function objects) lives in
 * sandboxes that one thread at a time uses, so all the functions handed out are thread-safe.
 */
public final class DesignDocFunctions {
    private final String id;
    private final String viewSignature;
    private final Map<String, ViewFunctions> views;
    private final Optional<ValidateFunction> validateDocUpdate;
    private final Map<String, FilterFunction> filters;

    private DesignDocFunctions(String id, String viewSignature, Map<String, ViewFunctions> views,
                               Optional<ValidateFunction> validateDocUpdate, Map<String, FilterFunction> filters) {
        this.id = id;
        this.viewSignature = viewSignature;
        this.views = views;
        this.validateDocUpdate = validateDocUpdate;
        this.filters = filters;
    }

    public static DesignDocFunctions compile(ObjectNode designDoc) {
        return compile(designDoc, JsOptions.defaults());
    }

    /**
     * Compiles a design document's functions. Views are the members of {@code views} that have a
     * {@code map} ({@code views.lib} is a library for {@code require}, not a view, as in CouchDB).
     */
    public static DesignDocFunctions compile(ObjectNode designDoc, JsOptions options) {
        return compile(designDoc, options, JsHeapShare.PROCESS);
    }

    /** Like {@link #compile(ObjectNode, JsOptions)}, its calls reserving their budgets in {@code heapShare}. */
    static DesignDocFunctions compile(ObjectNode designDoc, JsOptions options, JsHeapShare heapShare) {
        String id = designDoc.path("_id").asText("_design/unnamed");
        JsonNode language = designDoc.get("language");
        if (language != null && !language.isNull() && !"javascript".equals(language.asText())) {
            throw invalid("language " + language + " is not supported; Arbor runs javascript design functions");
        }
        JsonNode viewsNode = designDoc.path("views");
        if (!viewsNode.isMissingNode() && !viewsNode.isObject()) {
            throw invalid("`views` is not an object");
        }
        List<String> viewNames = new ArrayList<>();
        List<FunctionSource> maps = new ArrayList<>();
        List<FunctionSource> jsReduces = new ArrayList<>();
        List<String> reduceSources = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = viewsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> view = it.next();
            String name = view.getKey();
            if (!view.getValue().isObject()) {
                if (name.equals("lib")) {
                    continue;
                }
                throw invalid("View " + name + " must be an object");
            }
            JsonNode map = view.getValue().get("map");
            if (map == null) {
                continue;
            }
            if (!map.isTextual()) {
                throw invalid("View " + name + " has a non-string map function");
            }
            viewNames.add(name);
            maps.add(FunctionSource.compile("views." + name + ".map", map.textValue(),
                    "Compilation of the map function in the '" + name + "' view failed: "));
            JsonNode reduce = view.getValue().get("reduce");
            if (reduce != null && !reduce.isNull() && !reduce.isTextual()) {
                throw invalid("View " + name + " has a non-string reduce function");
            }
            String reduceSource = reduce == null || reduce.isNull() ? null : reduce.textValue();
            reduceSources.add(reduceSource);
            boolean javascript = reduceSource != null && BuiltinReduce.named(reduceSource.strip(), options).isEmpty();
            jsReduces.add(javascript ? FunctionSource.compile("views." + name + ".reduce", reduceSource,
                    "Compilation of the reduce function in the '" + name + "' view failed: ") : null);
        }
        FunctionSource validate = null;
        JsonNode validateNode = designDoc.get("validate_doc_update");
        if (validateNode != null && !validateNode.isNull()) {
            if (!validateNode.isTextual()) {
                throw invalid("`validate_doc_update` must be a string");
            }
            validate = FunctionSource.compile("validate_doc_update", validateNode.textValue(),
                    "Compilation of validate_doc_update failed: ");
        }
        Map<String, FunctionSource> filterSources = new LinkedHashMap<>();
        JsonNode filtersNode = designDoc.path("filters");
        if (!filtersNode.isMissingNode() && !filtersNode.isObject()) {
            throw invalid("`filters` is not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = filtersNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> filter = it.next();
            if (!filter.getValue().isTextual()) {
                throw invalid("Filter " + filter.getKey() + " must be a string");
            }
            filterSources.put(filter.getKey(), FunctionSource.compile("filters." + filter.getKey(),
                    filter.getValue().textValue(), "Compilation of filter '" + filter.getKey() + "' failed: "));
        }

        ObjectNode viewRequireRoot = Json.object();
        JsonNode lib = viewsNode.get("lib");
        viewRequireRoot.putObject("views").set("lib", lib == null ? Json.object() : lib);
        DesignDocScripts scripts = new DesignDocScripts(id, text(designDoc), text(viewRequireRoot), List.copyOf(maps),
                Collections.unmodifiableList(new ArrayList<>(jsReduces)), validate, Map.copyOf(filterSources));
        SandboxPool pool = new SandboxPool(scripts, options, heapShare);

        Map<String, ViewFunctions> views = new LinkedHashMap<>();
        for (int i = 0; i < viewNames.size(); i++) {
            String reduceSource = reduceSources.get(i);
            Optional<ReduceFunction> reduce = reduceSource == null ? Optional.empty()
                    : jsReduces.get(i) != null ? Optional.of(new JsReduceFunction(pool, i, reduceSource, options))
                    : BuiltinReduce.named(reduceSource.strip(), options).map(ReduceFunction.class::cast);
            views.put(viewNames.get(i), new ViewFunctions(viewNames.get(i), new MapFunction(pool, i, maps.get(i).source()), reduce));
        }
        Map<String, FilterFunction> filters = new LinkedHashMap<>();
        filterSources.keySet().forEach(name -> filters.put(name, new FilterFunction(pool, name)));
        return new DesignDocFunctions(id, viewSignature(designDoc), Collections.unmodifiableMap(views),
                Optional.ofNullable(validate).map(source -> new ValidateFunction(pool, id)),
                Collections.unmodifiableMap(filters));
    }

    /** The design document's {@code _id}. */
    public String id() {
        return id;
    }

    /** The views by name, in the design document's order. */
    public Map<String, ViewFunctions> views() {
        return views;
    }

    public Optional<ViewFunctions> view(String name) {
        return Optional.ofNullable(views.get(name));
    }

    public Optional<ValidateFunction> validateDocUpdate() {
        return validateDocUpdate;
    }

    public Map<String, FilterFunction> filters() {
        return filters;
    }

    public Optional<FilterFunction> filter(String name) {
        return Optional.ofNullable(filters.get(name));
    }

    /**
     * A hex MD5 of what the views' index depends on (language, every view's map, reduce and options,
     * {@code views.lib} and the design document's {@code options}), independent of member order: when
     * it changes the index must be rebuilt. CouchDB's signature covers the same parts (it hashes Erlang
     * terms, so the values differ).
     */
    public String viewSignature() {
        return viewSignature;
    }

    private static String viewSignature(ObjectNode designDoc) {
        ObjectNode parts = Json.object();
        parts.set("language", designDoc.path("language").isMissingNode() ? Json.MAPPER.getNodeFactory().textNode("javascript") : designDoc.get("language"));
        parts.set("views", designDoc.path("views").isMissingNode() ? Json.object() : designDoc.get("views"));
        parts.set("options", designDoc.path("options").isMissingNode() ? Json.object() : designDoc.get("options"));
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(Json.bytes(sorted(parts)));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> members = new TreeMap<>();
            node.fields().forEachRemaining(member -> members.put(member.getKey(), sorted(member.getValue())));
            ObjectNode result = Json.object();
            members.forEach(result::set);
            return result;
        }
        if (node.isArray()) {
            var result = Json.MAPPER.createArrayNode();
            node.forEach(element -> result.add(sorted(element)));
            return result;
        }
        return node;
    }

    private static ArborException.BadRequest invalid(String reason) {
        return new ArborException.BadRequest("invalid_design_doc", reason);
    }

    private static String text(JsonNode node) {
        return new String(Json.bytes(node), StandardCharsets.UTF_8);
    }
}
