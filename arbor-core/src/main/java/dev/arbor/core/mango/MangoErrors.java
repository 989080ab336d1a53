package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;

/**
 * CouchDB's Mango errors ({@code mango_error:info/2}) with their exact tokens and reasons. Reasons that
 * CouchDB formats with Erlang's {@code ~w} or {@code ~p} show the offending JSON as an Erlang term, e.g.
 * {@code Bad argument for operator $in: <<102,111,111>>}; {@link ErlangTerms} reproduces that.
 */
final class MangoErrors {
    private MangoErrors() {}

    static ArborException.BadRequest invalidSelectorJson(JsonNode selector) {
        return new ArborException.BadRequest("invalid_selector_json",
                "Selector must be a JSON object, not: " + ErlangTerms.write(selector));
    }

    static ArborException.BadRequest missingFieldName() {
        return new ArborException.BadRequest("invalid_selector", "One or more conditions is missing a field name.");
    }

    static ArborException.BadRequest badArg(String operator, JsonNode argument) {
        return new ArborException.BadRequest("bad_arg",
                "Bad argument for operator " + operator + ": " + ErlangTerms.write(argument));
    }

    static ArborException.BadRequest notSupported(String operator) {
        return new ArborException.BadRequest("not_supported", "Unsupported operator: " + operator);
    }

    static ArborException.BadRequest invalidOperator(String operator) {
        return new ArborException.BadRequest("invalid_operator", "Invalid operator: " + operator);
    }

    static ArborException.BadRequest badField(JsonNode selector) {
        return new ArborException.BadRequest("bad_field",
                "Invalid field normalization on selector: " + ErlangTerms.write(selector));
    }

    /** Not a CouchDB 400 (CouchDB fails with a 500 {@code unknown_error}); see {@link FieldPath#parse}. */
    static ArborException.BadRequest invalidFieldName(String field) {
        return new ArborException.BadRequest("invalid_field_name", "Invalid field name: " + field);
    }

    static ArborException.BadRequest invalidFields(JsonNode fields) {
        return new ArborException.BadRequest("invalid_fields",
                "Fields must be an array of strings, not: " + ErlangTerms.write(fields));
    }

    static ArborException.BadRequest invalidField(JsonNode field) {
        return new ArborException.BadRequest("invalid_field",
                "Invalid JSON for field spec: " + ErlangTerms.write(field));
    }

    static ArborException.BadRequest invalidSortJson(JsonNode sort) {
        return new ArborException.BadRequest("invalid_sort_json",
                "Sort must be an array of sort specs, not: " + ErlangTerms.print(sort));
    }

    static ArborException.BadRequest invalidSortField(JsonNode field) {
        return new ArborException.BadRequest("invalid_sort_field", "Invalid sort field: " + ErlangTerms.print(field));
    }

    static ArborException.BadRequest mixedSort() {
        return new ArborException.BadRequest("unsupported_mixed_sort",
                "Sorts currently only support a single direction for all fields.");
    }
}
