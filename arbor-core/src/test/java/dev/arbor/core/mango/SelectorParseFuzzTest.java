package dev.arbor.core.mango;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

/**
 * Coverage-guided fuzzing of Mango selector parsing as {@code POST /{db}/_find} does it: JSON text, then
 * {@link Selector#parse}, then matching a fixed document. Malformed selectors must fail with
 * {@link ArborException} (CouchDB's {@code invalid_operator}, {@code bad_arg}, ...); a selector that parses must
 * match or not match without throwing.
 */
class SelectorParseFuzzTest {
    private static final JsonNode DOC = Json.parse("""
            {"_id":"a","_rev":"1-x","name":"Ada","age":36,"tags":["x","y"],"nested":{"deep":[1,{"k":null}]},"f":1.5}""");

    @FuzzTest(maxDuration = "30s")
    void anySelectorParsesAndMatchesOrIsACouchError(String text) {
        if (text == null) {
            return; // Jazzer also tries null; a request body is never null
        }
        JsonNode json;
        try {
            json = Json.parse(text);
        } catch (ArborException.BadRequest refused) {
            return;
        }
        Selector selector;
        try {
            selector = Selector.parse(json);
        } catch (ArborException refused) {
            return;
        }
        selector.matches(DOC);
    }
}
