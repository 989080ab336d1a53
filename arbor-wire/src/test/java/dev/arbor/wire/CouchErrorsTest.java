package dev.arbor.wire;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class CouchErrorsTest {
    private static ArborException from(int status, String body) {
        return CouchErrors.from(status, body.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachCouchDbErrorBecomesTheEnginesKindWithItsTokenAndReason() {
        var deleted = assertInstanceOf(ArborException.NotFound.class, from(404, "{'error':'not_found','reason':'deleted'}"));
        assertEquals("deleted", deleted.reason());
        assertInstanceOf(ArborException.Conflict.class, from(409, "{'error':'conflict','reason':'Document update conflict.'}"));
        var exists = assertInstanceOf(ArborException.PreconditionFailed.class,
                from(412, "{'error':'file_exists','reason':'The database could not be created, the file already exists.'}"));
        assertEquals("file_exists", exists.error());
        var illegal = assertInstanceOf(ArborException.BadRequest.class, from(400, "{'error':'illegal_docid','reason':'Document id must be a string'}"));
        assertEquals("illegal_docid", illegal.error());
        assertEquals("Document id must be a string", illegal.reason());
        assertInstanceOf(ArborException.Unauthorized.class, from(401, "{'error':'unauthorized','reason':'Name or password is incorrect.'}"));
        assertInstanceOf(ArborException.Forbidden.class, from(403, "{'error':'forbidden','reason':'no'}"));
        assertInstanceOf(ArborException.TooLarge.class, from(413, "{'error':'document_too_large','reason':'a'}"));
    }

    @Test
    void aTokenWhoseKindIsFixedWinsOverAnOddStatus() {
        // PouchDB sends doc_validation with status 500; CouchDB with 400.
        var thrown = assertInstanceOf(ArborException.BadRequest.class, from(500, "{'error':'doc_validation','reason':'Bad special document member: _foo'}"));
        assertEquals("doc_validation", thrown.error());
        assertEquals(400, HttpStatus.of(thrown));
    }

    @Test
    void anAnswerThatIsNotJsonIsJudgedByItsStatus() {
        assertInstanceOf(ArborException.NotFound.class, from(404, ""));
        var gateway = assertInstanceOf(ArborException.Internal.class, from(502, "<html>Bad Gateway</html>"));
        assertEquals(500, HttpStatus.of(gateway));
        assertEquals("HTTP 502: <html>Bad Gateway</html>", gateway.reason());
    }
}
