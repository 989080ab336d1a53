package dev.arbor.bench.data;

import java.util.List;

/** One document of the workload, in gen.js's field order. */
public record GeneratedDoc(String id, String type, String name, int age, String city, List<String> tags,
                           double score, boolean active, String created, int nestedA, String nestedB, String text) {

    public GeneratedDoc {
        tags = List.copyOf(tags);
    }

    /** The line gen.js writes for this doc: {@code JSON.stringify} of the object literal. */
    public String toJson() {
        StringBuilder out = new StringBuilder(512);
        out.append("{\"_id\":").append(JsText.string(id))
                .append(",\"type\":").append(JsText.string(type))
                .append(",\"name\":").append(JsText.string(name))
                .append(",\"age\":").append(age)
                .append(",\"city\":").append(JsText.string(city))
                .append(",\"tags\":[");
        for (int i = 0; i < tags.size(); i++) {
            out.append(i == 0 ? "" : ",").append(JsText.string(tags.get(i)));
        }
        return out.append("],\"score\":").append(JsText.number(score))
                .append(",\"active\":").append(active)
                .append(",\"created\":").append(JsText.string(created))
                .append(",\"nested\":{\"a\":").append(nestedA).append(",\"b\":").append(JsText.string(nestedB))
                .append("},\"text\":").append(JsText.string(text))
                .append('}').toString();
    }
}
