package dev.arbor.core.doc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing of the way in for every document: bytes to JSON ({@link Json#parse(byte[])}) to a
 * validated {@link ParsedDoc}. Any input must end in a document or in an {@link ArborException} (which the server
 * turns into a CouchDB error); anything else (a NullPointerException, a StackOverflowError, a ClassCastException)
 * would be a 500, and Jazzer reports it as a finding.
 *
 * <p>{@code mvn verify} runs this in regression mode: the seeds under {@code DocumentParserFuzzTestInputs/} and every
 * crash ever found. Long runs: see docs/reliability.md.
 */
class DocumentParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBytesBecomeADocumentOrACouchError(byte[] input) {
        JsonNode json;
        try {
            json = Json.parse(input);
        } catch (ArborException.BadRequest refused) {
            return;
        }
        ParsedDoc doc;
        try {
            doc = DocumentParser.parse(json);
        } catch (ArborException refused) {
            return;
        }
        // What is accepted is stored as bodyBytes() and must read back as the same body.
        byte[] body = doc.bodyBytes();
        JsonNode reread = Json.parse(body);
        assertEquals(Json.parse(Json.bytes(reread)), reread, "stored body does not round-trip");
        if (doc.id() != null) {
            // An accepted id is never blank, and a design or local id has a name after its prefix.
            assertEquals(false, doc.id().isEmpty(), "accepted an empty _id");
        }
    }
}
