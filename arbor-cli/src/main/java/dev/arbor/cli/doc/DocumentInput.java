package dev.arbor.cli.doc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Turns {@code put}'s arguments into the document CouchDB's {@code PUT /db/ID?rev=REV} would write. */
final class DocumentInput {
    private DocumentInput() {}

    /** The body given on the command line, or read from {@code stdin} when it is absent or {@code -}. */
    static ObjectNode body(String argument, InputStream stdin) {
        JsonNode parsed = argument == null || argument.equals("-") ? Json.parse(readAll(stdin)) : Json.parse(argument);
        if (!(parsed instanceof ObjectNode object)) {
            throw new ArborException.BadRequest("bad_request", "Document must be a JSON object");
        }
        return object;
    }

    /**
     * The document to write: the id from the command line wins over any {@code _id} in the body, as
     * the URL's does in CouchDB; {@code rev} plays the {@code ?rev=} query parameter and must agree
     * with a {@code _rev} in the body.
     */
    static ObjectNode forPut(String id, ObjectNode body, String rev) {
        JsonNode bodyRev = body.get("_rev");
        if (rev != null && bodyRev != null && !bodyRev.asText().equals(rev)) {
            throw new ArborException.BadRequest("bad_request",
                    "Document rev from request body and query string have different values");
        }
        ObjectNode doc = Json.object().put("_id", id);
        if (rev != null) {
            doc.put("_rev", rev);
        }
        body.properties().forEach(field -> {
            if (!field.getKey().equals("_id") && !(rev != null && field.getKey().equals("_rev"))) {
                doc.set(field.getKey(), field.getValue());
            }
        });
        return doc;
    }

    private static byte[] readAll(InputStream stdin) {
        try {
            return stdin.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
