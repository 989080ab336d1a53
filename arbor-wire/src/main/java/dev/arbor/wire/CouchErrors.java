package dev.arbor.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * Turns a CouchDB error answer ({@code status} and {@code {"error":..,"reason":..}}) back into the
 * {@link ArborException} the local engine would have thrown, so a caller cannot tell a remote database
 * from a local one by its failures. The reverse of {@link HttpStatus#of}: what the server answers with it, the
 * client reads back as the same kind.
 */
public final class CouchErrors {
    private CouchErrors() {}

    public static ArborException from(int status, byte[] body) {
        String error = null;
        String reason = null;
        try {
            JsonNode json = Json.parse(body);
            error = text(json.get("error"));
            reason = text(json.get("reason"));
        } catch (RuntimeException notJson) {
            // A proxy's HTML page or an empty HEAD answer: the status alone must say what happened.
            String text = new String(body, StandardCharsets.UTF_8).strip();
            reason = text.isEmpty() ? null : text;
        }
        return from(status, error, reason);
    }

    /**
     * The kind comes from the error token when it is one whose kind is fixed (CouchDB's
     * {@code doc_validation} is always a 400, whatever status a look-alike server sends with it: PouchDB
     * answers it with 500), else from the status.
     */
    public static ArborException from(int status, String error, String reason) {
        String why = reason == null ? "HTTP " + status : reason;
        if (error != null) {
            switch (error) {
                case "not_found" -> { return new ArborException.NotFound(reason == null ? "missing" : reason); }
                case "conflict" -> { return reason == null ? new ArborException.Conflict() : new ArborException.Conflict(reason); }
                case "unauthorized" -> { return new ArborException.Unauthorized(why); }
                case "forbidden" -> { return new ArborException.Forbidden(why); }
                case "file_exists", "precondition_failed" -> { return new ArborException.PreconditionFailed(error, why); }
                case "too_large", "document_too_large", "attachment_too_large", "request_entity_too_large" -> {
                    return new ArborException.TooLarge(why);
                }
                case "bad_request", "doc_validation", "illegal_docid", "illegal_database_name", "database_name_too_long",
                     "invalid_json", "bad_content_type", "content_md5_mismatch", "query_parse_error", "missing_stub" -> {
                    return new ArborException.BadRequest(error, why);
                }
                default -> { }
            }
        }
        return switch (status) {
            case 400 -> new ArborException.BadRequest(error == null ? "bad_request" : error, why);
            case 401 -> new ArborException.Unauthorized(why);
            case 403 -> new ArborException.Forbidden(why);
            case 404 -> new ArborException.NotFound(reason == null ? "missing" : reason);
            case 409 -> reason == null ? new ArborException.Conflict() : new ArborException.Conflict(reason);
            case 412 -> new ArborException.PreconditionFailed(error == null ? "precondition_failed" : error, why);
            case 413 -> new ArborException.TooLarge(why);
            // 415 (a body CouchDB will not read) is the caller's mistake, as a 400 is.
            case 415 -> new ArborException.BadRequest(error == null ? "bad_content_type" : error, why);
            default -> new ArborException.Internal("HTTP " + status + (error == null ? "" : " " + error) + ": " + why, null);
        };
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
