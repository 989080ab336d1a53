package dev.arbor.js;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.arbor.js.Ddocs.j;
import static dev.arbor.js.Ddocs.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CouchDB's sandbox functions as map functions see them (share/server/util.js, views.js, state.js). */
class SandboxTest {

    private static List<Emit> map(String mapSource, String docJson) {
        return DesignDocFunctions.compile(view(mapSource, null)).views().get("v").map().map(docJson);
    }

    private static MapFunction mapper(ObjectNode ddoc, Ddocs.Log log) {
        return DesignDocFunctions.compile(ddoc, log.options()).views().get("v").map();
    }

    @Test
    void emitCollectsEveryKeyValuePairInOrder() {
        List<Emit> rows = map("function(doc) { emit(doc._id, 1); emit([doc.n, 'x'], {a: doc.n}); }", "{\"_id\":\"d1\",\"n\":7}");
        assertEquals(List.of(new Emit(j("'d1'"), j("1")), new Emit(j("[7,'x']"), j("{'a':7}"))), rows);
    }

    @Test
    void emitWithoutValueEmitsNull() {
        assertEquals(List.of(new Emit(j("'k'"), j("null"))), map("function(doc) { emit('k'); }", "{}"));
    }

    @Test
    void emittedObjectsAreConvertedAfterTheMapReturnsAsCouchDbSerializesThem() {
        // views.js stringifies map_results after the function returns, so later changes are visible.
        assertEquals(List.of(new Emit(j("1"), j("{'x':2}"))),
                map("function(doc) { var o = {}; emit(1, o); o.x = 2; }", "{}"));
    }

    @Test
    void sumAddsTheMembersOfAnArray() {
        assertEquals(List.of(new Emit(j("10"), j("'0ab'"))),
                map("function(doc) { emit(sum([1, 2, 3, 4]), sum(['a', 'b'])); }", "{}"));
    }

    @Test
    void toJsonIsJsonStringify() {
        assertEquals(List.of(new Emit(j("'{\\'a\\':[1,null]}'".replace("\\'", "\\\"")), j("null"))),
                map("function(doc) { emit(toJSON({a: [1, undefined]}), null); }", "{}"));
    }

    @Test
    void isArrayTellsArraysFromOtherObjects() {
        assertEquals(List.of(new Emit(j("[true,false,false,false]"), j("null"))),
                map("function(doc) { emit([isArray(doc.a), isArray(doc.o), isArray('s'), isArray(null)], null); }",
                        "{\"a\":[1],\"o\":{\"length\":1}}"));
    }

    @Test
    void jsonParseAndStringifyAreAvailable() {
        assertEquals(List.of(new Emit(j("{'b':1}"), j("'[1]'"))),
                map("function(doc) { emit(JSON.parse('{\"b\":1}'), JSON.stringify([1])); }", "{}"));
    }

    @Test
    void logSendsStringsAsTheyAreAndOtherValuesAsJson() {
        Ddocs.Log log = new Ddocs.Log();
        mapper(view("function(doc) { log('hello'); log({a: 1}); log([1, 'x']); }", null), log).map("{}");
        assertEquals(List.of("hello", "{\"a\":1}", "[1,\"x\"]"), log.lines);
    }

    @Test
    void aMapErrorSkipsTheDocumentAndIsLoggedWithItsId() {
        Ddocs.Log log = new Ddocs.Log();
        MapFunction map = mapper(view("function(doc) { emit(doc.a.b, 1); }", null), log);
        assertEquals(List.of(), map.map("{\"_id\":\"broken\"}"));
        assertEquals(List.of(new Emit(j("2"), j("1"))), map.map("{\"_id\":\"fine\",\"a\":{\"b\":2}}"));
        assertEquals(1, log.lines.size());
        assertTrue(log.lines.get(0).startsWith("function raised exception TypeError"), log.lines.get(0));
        assertTrue(log.lines.get(0).contains("with doc._id broken"), log.lines.get(0));
    }

    @Test
    void emitsBeforeAnErrorAreDiscardedWithTheDocument() {
        Ddocs.Log log = new Ddocs.Log();
        assertEquals(List.of(), mapper(view("function(doc) { emit(1, 1); throw 'boom'; }", null), log).map("{\"_id\":\"x\"}"));
        assertEquals(List.of("function raised exception boom with doc._id x in views.v.map of _design/test"), log.lines);
    }

    @Test
    void documentsAreFrozenSoWritesAreIgnored() {
        assertEquals(List.of(new Emit(j("1"), j("[1]"))),
                map("function(doc) { doc.a = 2; doc.list.push; try { doc.list.push(2); } catch (e) {} emit(doc.a, doc.list); }",
                        "{\"a\":1,\"list\":[1]}"));
    }

    @Test
    void scriptsCannotReachJava() {
        assertEquals(List.of(new Emit(j("['undefined','undefined']"), j("null"))),
                map("function(doc) { emit([typeof java, typeof Packages], null); }", "{}"));
    }

    @Test
    void modernSyntaxCompiles() {
        assertEquals(List.of(new Emit(j("'a-1'"), j("[1,2]"))),
                map("(doc) => { const {n} = doc; let xs = [...[1], 2]; emit(`a-${n}`, xs); }", "{\"n\":1}"));
    }

    @Test
    void aSyntaxErrorIsACompilationError() {
        ArborException.BadRequest error = assertThrows(ArborException.BadRequest.class,
                () -> DesignDocFunctions.compile(view("function(doc) { emit(doc._id, ; }", null)));
        assertEquals("compilation_error", error.error());
        assertTrue(error.reason().startsWith("Compilation of the map function in the 'v' view failed: "), error.reason());
    }

    @Test
    void sourceThatIsNotAFunctionIsACompilationError() {
        ArborException.BadRequest error = assertThrows(ArborException.BadRequest.class,
                () -> DesignDocFunctions.compile(view("42", null)));
        assertEquals("compilation_error", error.error());
        assertTrue(error.reason().contains("Expression does not eval to a function."), error.reason());
    }

    @Test
    void trailingSemicolonsAreAccepted() {
        assertEquals(List.of(new Emit(j("1"), j("null"))), map("function(doc) { emit(1, null); };\n", "{}"));
    }

    @Test
    void anUnknownBuiltinReduceIsAnInvalidDesignDoc() {
        ArborException.BadRequest error = assertThrows(ArborException.BadRequest.class,
                () -> DesignDocFunctions.compile(view("function(doc) { emit(1, 1); }", "_median")));
        assertEquals("invalid_design_doc", error.error());
        assertEquals("`_median` is not a supported reduce function.", error.reason());
    }

    @Test
    void viewsLibIsALibraryNotAView() {
        DesignDocFunctions ddoc = DesignDocFunctions.compile(Ddocs.ddoc(
                "{'views': {'lib': {'m': 'exports.x = 1;'}, 'v': {'map': 'function(doc) { emit(1, 1); }'}}}"));
        assertEquals(List.of("v"), List.copyOf(ddoc.views().keySet()));
    }
}
