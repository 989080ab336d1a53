package dev.arbor.js;

import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.arbor.js.Ddocs.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CommonJS {@code require} over design document strings, with CouchDB's path rules (util.js). */
class RequireTest {

    private static DesignDocFunctions compile(String views, String extra, Ddocs.Log log) {
        return DesignDocFunctions.compile(Ddocs.ddoc("{'_id': '_design/r', 'views': " + views + extra + "}"), log.options());
    }

    @Test
    void mapFunctionsRequireModulesUnderViewsLib() {
        DesignDocFunctions ddoc = compile("{'lib': {'math': 'exports.double = function(x) { return 2 * x; };'},"
                + " 'v': {'map': 'function(doc) { emit(require(\\'views/lib/math\\').double(doc.n), null); }'}}", "", new Ddocs.Log());
        assertEquals(List.of(new Emit(j("6"), j("null"))), ddoc.views().get("v").map().map("{\"n\":3}"));
    }

    @Test
    void modulesRequireSiblingsAndParentsRelatively() {
        DesignDocFunctions ddoc = compile("{'lib': {"
                + "'a': {'b': 'exports.v = require(\\'./c\\').v + require(\\'../top\\').v;', 'c': 'exports.v = 10;'},"
                + "'top': 'exports.v = 1;'},"
                + " 'v': {'map': 'function(doc) { emit(require(\\'views/lib/a/b\\').v, null); }'}}", "", new Ddocs.Log());
        assertEquals(List.of(new Emit(j("11"), j("null"))), ddoc.views().get("v").map().map("{}"));
    }

    @Test
    void moduleExportsCanBeReplacedAndModulesRunOncePerSandbox() {
        DesignDocFunctions ddoc = compile("{'lib': {'count': 'var n = 0; module.exports = function() { return ++n; };'},"
                + " 'v': {'map': 'function(doc) { emit(require(\\'views/lib/count\\')(), require(\\'views/lib/count\\')()); }'}}",
                "", new Ddocs.Log());
        assertEquals(List.of(new Emit(j("1"), j("2"))), ddoc.views().get("v").map().map("{}"));
    }

    @Test
    void circularRequiresSeeThePartialExports() {
        DesignDocFunctions ddoc = compile("{'lib': {"
                + "'a': 'exports.early = 1; exports.fromB = require(\\'views/lib/b\\').seen;',"
                + "'b': 'exports.seen = require(\\'views/lib/a\\').early;'},"
                + " 'v': {'map': 'function(doc) { emit(require(\\'views/lib/a\\').fromB, null); }'}}", "", new Ddocs.Log());
        assertEquals(List.of(new Emit(j("1"), j("null"))), ddoc.views().get("v").map().map("{}"));
    }

    @Test
    void mapFunctionsCannotRequireOutsideViewsLib() {
        Ddocs.Log log = new Ddocs.Log();
        DesignDocFunctions ddoc = compile("{'v': {'map': 'function(doc) { emit(require(\\'shared/x\\').v, null); }'}}",
                ", 'shared': {'x': 'exports.v = 1;'}", log);
        assertEquals(List.of(), ddoc.views().get("v").map().map("{\"_id\":\"d\"}"));
        assertTrue(log.lines.get(0).contains("invalid_require_path"), log.lines.toString());
        assertTrue(log.lines.get(0).contains("Object has no property \\\"shared\\\"") || log.lines.get(0).contains("Object has no property \"shared\""),
                log.lines.toString());
    }

    @Test
    void validateAndFiltersRequireAnythingInTheDesignDocument() {
        DesignDocFunctions ddoc = compile("{}", ", 'shared': {'types': 'exports.allowed = [\\'a\\', \\'b\\'];'},"
                + " 'filters': {'typed': 'function(doc, req) { return require(\\'shared/types\\').allowed.indexOf(doc.type) >= 0; }'}",
                new Ddocs.Log());
        FilterFunction filter = ddoc.filter("typed").orElseThrow();
        assertTrue(filter.matches("{\"type\":\"b\"}", FilterFunction.request(java.util.Map.of(), Json.object())));
        assertEquals(false, filter.matches("{\"type\":\"c\"}", FilterFunction.request(java.util.Map.of(), Json.object())));
    }

    @Test
    void aModuleThatIsNotAStringIsAnInvalidRequirePath() {
        Ddocs.Log log = new Ddocs.Log();
        DesignDocFunctions ddoc = compile("{'lib': {'dir': {'m': 'exports.v = 1;'}},"
                + " 'v': {'map': 'function(doc) { emit(require(\\'views/lib/dir\\'), null); }'}}", "", log);
        assertEquals(List.of(), ddoc.views().get("v").map().map("{}"));
        assertTrue(log.lines.get(0).contains("Must require a JavaScript string, not: object"), log.lines.toString());
    }

    @Test
    void aModuleThatThrowsIsACompilationErrorOfTheRequire() {
        Ddocs.Log log = new Ddocs.Log();
        DesignDocFunctions ddoc = compile("{'lib': {'bad': 'throw new Error(\\'nope\\');'},"
                + " 'v': {'map': 'function(doc) { emit(require(\\'views/lib/bad\\'), null); }'}}", "", log);
        assertEquals(List.of(), ddoc.views().get("v").map().map("{}"));
        assertTrue(log.lines.get(0).contains("compilation_error") && log.lines.get(0).contains("Module require('views/lib/bad') raised error Error: nope"),
                log.lines.toString());
    }
}
