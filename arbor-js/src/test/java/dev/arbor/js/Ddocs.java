package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/** Test helpers: design documents from single-quoted JSON, captured logs. */
final class Ddocs {
    private Ddocs() {}

    /** JSON with ' for " so that JavaScript sources read naturally in Java strings. */
    static JsonNode j(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    static ObjectNode ddoc(String singleQuoted) {
        return (ObjectNode) j(singleQuoted);
    }

    /** A design doc with one view {@code v} whose map is {@code mapSource} (and optional reduce). */
    static ObjectNode view(String mapSource, String reduceSource) {
        ObjectNode ddoc = Json.object();
        ddoc.put("_id", "_design/test");
        ObjectNode view = ddoc.putObject("views").putObject("v");
        view.put("map", mapSource);
        if (reduceSource != null) {
            view.put("reduce", reduceSource);
        }
        return ddoc;
    }

    static final class Log {
        final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

        JsOptions options() {
            return JsOptions.defaults().withLog(lines::add);
        }
    }
}
