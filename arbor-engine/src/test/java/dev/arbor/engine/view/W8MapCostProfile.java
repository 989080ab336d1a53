package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.core.json.Json;
import dev.arbor.js.JsOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: a main that times the map step alone of W8's two views, per document, over the bench's documents as
 * stored bodies: the JavaScript design document (one map shared by both views, run by Rhino) and the same two views
 * as typed Java views (the harness's {@code ArborStore.CityAgeJavaView}, repeated here since this module cannot see
 * it). Whatever else a build does per document is shared by both kinds of view, so this bounds the ratio of their
 * builds (docs/benchmarks.md, "Views (W8)"). Run with the engine's test classpath:
 * {@code java -cp ... dev.arbor.engine.view.W8MapCostProfile DOCS.jsonl}.
 */
public final class W8MapCostProfile {
    private W8MapCostProfile() {}

    public record CityAge(String city, long age) {}

    record View(String name, boolean counting) implements TypedView<CityAge, Long> {
        private static final Key<CityAge> KEY = Keys.record(CityAge.class);
        @Override public Key<CityAge> keyType() { return KEY; }
        @Override public Class<Long> valueType() { return Long.class; }
        @Override public void map(MappedDocument doc, Emitter<CityAge, Long> emit) {
            JsonNode city = doc.get("city");
            JsonNode age = doc.get("age");
            if (city != null && city.isTextual() && age != null && age.canConvertToLong()) {
                emit.emit(new CityAge(city.textValue(), age.longValue()), 1L);
            }
        }
        @Override public Long reduce(List<MappedValue<CityAge, Long>> m, boolean rereduce) {
            long t = 0; for (var x : m) t += x.value(); return t;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> ids = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            ObjectNode doc = Json.parseObject(line);
            ids.add(doc.remove("_id").asText());
            doc.remove("_rev");
            bodies.add(Json.bytes(doc));
        }
        DesignViews js = DesignViews.compile(Json.parseObject("""
            {"_id": "_design/w8", "_rev": "1-a", "views": {
              "count": {"map": "function (doc) { emit([doc.city, doc.age], 1); }", "reduce": "_count"},
              "sum": {"map": "function (doc) { emit([doc.city, doc.age], 1); }", "reduce": "_sum"}}}"""),
                JsOptions.defaults(), false);
        TypedViewDefinition<CityAge, Long> a = TypedViewDefinition.of(new View("c", true));
        TypedViewDefinition<CityAge, Long> b = TypedViewDefinition.of(new View("s", false));
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime(); long n = 0;
            for (int i = 0; i < ids.size(); i++) {
                n += js.map(IndexedDocument.ofBody(ids.get(i), "1-a", bodies.get(i))).size();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < ids.size(); i++) {
                IndexedDocument doc = IndexedDocument.ofBody(ids.get(i), "1-a", bodies.get(i));
                n += a.map(doc).size() + b.map(doc).size();
            }
            long t2 = System.nanoTime();
            System.out.printf("JS map %.2f µs/doc, Java maps (two views) %.2f µs/doc (%d)%n",
                    (t1 - t0) / 1e3 / ids.size(), (t2 - t1) / 1e3 / ids.size(), n);
        }
    }
}
