package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A design document's {@code validate_doc_update(newDoc, oldDoc, userCtx, secObj)}, with {@code this}
 * the design document, as CouchDB's validate.js runs it. Thread-safe.
 */
public final class ValidateFunction {
    private final SandboxPool pool;
    private final String designDocId;

    ValidateFunction(SandboxPool pool, String designDocId) {
        this.pool = pool;
        this.designDocId = designDocId;
    }

    /**
     * Returns if the function accepts the write; otherwise throws as CouchDB answers:
     * <ul>
     *   <li>{@code throw({forbidden: msg})}: {@link ArborException.Forbidden} (403) with {@code msg};</li>
     *   <li>{@code throw({unauthorized: msg})}: {@link ArborException.Unauthorized} (401);</li>
     *   <li>any other thrown value, or a JavaScript error: {@link ArborException.Internal} (CouchDB: 500
     *       {@code unknown_error}, or the error's name).</li>
     * </ul>
     * The message is passed on as given when it is a string, as its JSON otherwise.
     *
     * @param oldDoc the current revision, or {@code null} (or a JSON null) for a new document
     */
    public void validate(JsonNode newDoc, JsonNode oldDoc, JsonNode userCtx, JsonNode secObj) {
        String newJson = text(newDoc);
        String oldJson = text(oldDoc == null ? NullNode.instance : oldDoc);
        String userJson = text(userCtx);
        String secJson = text(secObj);
        ValidationOutcome outcome = pool.with(sandbox -> sandbox.validate(newJson, oldJson, userJson, secJson));
        switch (outcome) {
            case ValidationOutcome.Passed passed -> { }
            case ValidationOutcome.Rejected rejected -> throw verdict(rejected.thrown());
            case ValidationOutcome.Failed failed -> throw new ArborException.Internal(
                    "validate_doc_update of " + designDocId + " failed: " + failed.description(), null);
        }
    }

    /** CouchDB accepts exactly {@code {forbidden: msg}} or {@code {unauthorized: msg}}; anything else is unknown_error. */
    private ArborException verdict(JsonNode thrown) {
        if (thrown.isObject() && thrown.size() == 1) {
            Map.Entry<String, JsonNode> only = thrown.fields().next();
            String message = only.getValue().isTextual() ? only.getValue().textValue() : text(only.getValue());
            switch (only.getKey()) {
                case "forbidden":
                    return new ArborException.Forbidden(message);
                case "unauthorized":
                    return new ArborException.Unauthorized(message);
                default:
                    return new ArborException.Internal("unknown_error: " + message, null);
            }
        }
        return new ArborException.Internal("unknown_error: " + (thrown.isTextual() ? thrown.textValue() : text(thrown)), null);
    }

    private static String text(JsonNode node) {
        return new String(Json.bytes(node), StandardCharsets.UTF_8);
    }
}
