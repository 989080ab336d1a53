package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;

/** JSON for tests, written with single quotes so it reads inline: {@code j("{'a': 1}")}. */
final class MangoJson {
    private MangoJson() {}

    static JsonNode j(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    static Selector sel(String singleQuoted) {
        return Selector.parse(j(singleQuoted));
    }

    static boolean matches(String selector, String doc) {
        return sel(selector).matches(j(doc));
    }
}
