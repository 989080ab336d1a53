package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;

/** What a validate_doc_update run came to, before it is mapped to CouchDB's errors. */
sealed interface ValidationOutcome {
    /** The function returned normally. */
    record Passed() implements ValidationOutcome {}

    /** The function threw a value that is not an Error, e.g. {@code {forbidden: "..."}} or a string. */
    record Rejected(JsonNode thrown) implements ValidationOutcome {}

    /** The function failed with a JavaScript Error (a bug in it, not a verdict). */
    record Failed(String description) implements ValidationOutcome {}
}
