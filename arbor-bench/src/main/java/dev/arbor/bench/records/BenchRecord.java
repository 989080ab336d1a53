package dev.arbor.bench.records;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.arbor.core.json.Json;

import java.util.List;

/** One doc of the data set as the typed record an application would keep in a collection (C1). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BenchRecord(String type, String name, int age, String city, List<String> tags, double score,
                          boolean active, String created, Nested nested, String text) {

    public record Nested(long a, String b) {}

    /** A JSON line of the data set; its {@code _id} is dropped, since a collection assigns or takes the key. Not timed. */
    public static BenchRecord fromJsonLine(String line) {
        return Json.MAPPER.convertValue(Json.parseObject(line), BenchRecord.class);
    }
}
