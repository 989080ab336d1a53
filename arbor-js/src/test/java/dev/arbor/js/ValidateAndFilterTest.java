package dev.arbor.js;

import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.arbor.js.Ddocs.ddoc;
import static dev.arbor.js.Ddocs.j;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** validate_doc_update (validate.js) and filters (filter.js). */
class ValidateAndFilterTest {
    private static final String VALIDATE = "function(newDoc, oldDoc, userCtx, secObj) {"
            + " if (!newDoc.type) { throw({forbidden: 'doc.type is required'}); }"
            + " if (userCtx.roles.indexOf('writer') < 0 && secObj.open !== true) { throw({unauthorized: 'writers only'}); }"
            + " if (oldDoc && oldDoc.locked) { throw({forbidden: {locked: oldDoc._id}}); }"
            + " if (newDoc.type === 'string') { throw 'a plain string'; }"
            + " if (newDoc.type === 'bug') { null.x; }"
            + " if (newDoc.type === 'two') { throw({forbidden: 'a', extra: 1}); }"
            + " if (newDoc.type === 'self') { throw({forbidden: this._id}); }"
            + "}";

    private static ValidateFunction validator() {
        ObjectNodeBuilder builder = new ObjectNodeBuilder();
        return DesignDocFunctions.compile(builder.ddoc()).validateDocUpdate().orElseThrow();
    }

    /** Builds the design document with the validate function as a proper JSON string. */
    private static final class ObjectNodeBuilder {
        com.fasterxml.jackson.databind.node.ObjectNode ddoc() {
            var ddoc = Json.object();
            ddoc.put("_id", "_design/auth");
            ddoc.put("validate_doc_update", VALIDATE);
            return ddoc;
        }
    }

    private static final com.fasterxml.jackson.databind.JsonNode WRITER = j("{'name':'ann','roles':['writer']}");
    private static final com.fasterxml.jackson.databind.JsonNode READER = j("{'name':'bob','roles':[]}");
    private static final com.fasterxml.jackson.databind.JsonNode SEC = j("{}");

    @Test
    void aValidDocumentPasses() {
        assertDoesNotThrow(() -> validator().validate(j("{'type':'note'}"), null, WRITER, SEC));
    }

    @Test
    void throwingForbiddenIsA403WithTheMessage() {
        ArborException.Forbidden error = assertThrows(ArborException.Forbidden.class,
                () -> validator().validate(j("{}"), null, WRITER, SEC));
        assertEquals("forbidden", error.error());
        assertEquals("doc.type is required", error.reason());
    }

    @Test
    void throwingUnauthorizedIsA401() {
        ArborException.Unauthorized error = assertThrows(ArborException.Unauthorized.class,
                () -> validator().validate(j("{'type':'note'}"), null, READER, SEC));
        assertEquals("writers only", error.reason());
    }

    @Test
    void secObjAndOldDocAreGiven() {
        assertDoesNotThrow(() -> validator().validate(j("{'type':'note'}"), null, READER, j("{'open':true}")));
        ArborException.Forbidden error = assertThrows(ArborException.Forbidden.class,
                () -> validator().validate(j("{'type':'note'}"), j("{'_id':'d1','locked':true}"), WRITER, SEC));
        assertEquals("{\"locked\":\"d1\"}", error.reason());
    }

    @Test
    void thisIsTheDesignDocument() {
        assertEquals("_design/auth", assertThrows(ArborException.Forbidden.class,
                () -> validator().validate(j("{'type':'self'}"), null, WRITER, SEC)).reason());
    }

    @Test
    void otherThrownValuesAndErrorsAreInternalErrors() {
        assertTrue(assertThrows(ArborException.Internal.class,
                () -> validator().validate(j("{'type':'string'}"), null, WRITER, SEC)).reason().contains("a plain string"));
        assertTrue(assertThrows(ArborException.Internal.class,
                () -> validator().validate(j("{'type':'bug'}"), null, WRITER, SEC)).reason().contains("TypeError"));
        // CouchDB matches a one-member object only.
        assertTrue(assertThrows(ArborException.Internal.class,
                () -> validator().validate(j("{'type':'two'}"), null, WRITER, SEC)).reason().startsWith("unknown_error"));
    }

    @Test
    void filtersSeeTheQueryAndPassOnTruthyResults() {
        DesignDocFunctions ddoc = DesignDocFunctions.compile(ddoc("{'_id':'_design/f','filters':{"
                + "'byType':'function(doc, req) { return doc.type === req.query.type; }',"
                + "'truthy':'function(doc, req) { return doc.n; }',"
                + "'mine':'function(doc, req) { return doc.owner === req.userCtx.name; }'}}"));
        FilterFunction byType = ddoc.filter("byType").orElseThrow();
        var request = FilterFunction.request(Map.of("type", "post"), READER);
        assertTrue(byType.matches("{\"type\":\"post\"}", request));
        assertFalse(byType.matches("{\"type\":\"comment\"}", request));
        FilterFunction truthy = ddoc.filter("truthy").orElseThrow();
        assertTrue(truthy.matches(j("{'n':2}"), request));
        assertFalse(truthy.matches(j("{'n':0}"), request));
        assertFalse(truthy.matches(j("{}"), request));
        assertTrue(ddoc.filter("mine").orElseThrow().matches(j("{'owner':'bob'}"), request));
    }

    @Test
    void aFilterErrorFailsTheRequest() {
        FilterFunction broken = DesignDocFunctions.compile(ddoc("{'filters':{'bad':'function(doc) { return doc.a.b; }'}}"))
                .filter("bad").orElseThrow();
        ArborException.QueryFailed failed = assertThrows(ArborException.QueryFailed.class,
                () -> broken.matches("{}", FilterFunction.request(Map.of(), READER)));
        assertEquals("error", failed.error());
        assertTrue(failed.reason().contains("TypeError"), failed.reason());
    }
}
