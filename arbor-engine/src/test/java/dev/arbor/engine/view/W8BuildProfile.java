package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Database;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not a test: a main that measures W8's view builds as CPU time per document on the indexing thread (the caller's,
 * since an update-before query indexes on the querying thread), for profiling on a shared machine where wall-clock
 * rates say more about the load than the code. Run with the test classpath:
 * {@code java -cp ... dev.arbor.engine.view.W8BuildProfile DOCS.jsonl [js|java-separate|java-together]...}.
 */
public final class W8BuildProfile {
    private W8BuildProfile() {}

    /** W8's key in Java, as in arbor-bench. */
    public record CityAge(String city, long age) {}

    /** W8's views in Java, as in arbor-bench's {@code ArborStore.CityAgeJavaView}. */
    record CityAgeJavaView(String name, boolean counting) implements TypedView<CityAge, Long> {
        private static final Key<CityAge> KEY = Keys.record(CityAge.class);

        @Override public Key<CityAge> keyType() { return KEY; }

        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(MappedDocument doc, Emitter<CityAge, Long> emit) {
            JsonNode city = doc.body().get("city");
            JsonNode age = doc.body().get("age");
            if (city != null && city.isTextual() && age != null && age.canConvertToLong()) {
                emit.emit(new CityAge(city.textValue(), age.longValue()), 1L);
            }
        }

        @Override
        public Long reduce(List<MappedValue<CityAge, Long>> mappings, boolean rereduce) {
            if (counting && !rereduce) {
                return (long) mappings.size();
            }
            long total = 0;
            for (MappedValue<CityAge, Long> mapping : mappings) {
                total += mapping.value();
            }
            return total;
        }
    }

    private static final String DESIGN = """
            {"_id": "_design/w8", "views": {
              "count": {"map": "function (doc) { emit([doc.city, doc.age], 1); }", "reduce": "_count"},
              "sum": {"map": "function (doc) { emit([doc.city, doc.age], 1); }", "reduce": "_sum"}}}""";

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args[0]);
        List<ObjectNode> docs = new ArrayList<>();
        try (Stream<String> lines = Files.lines(data)) {
            lines.forEach(line -> docs.add(Json.parseObject(line)));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int a = 1; a < args.length; a++) {
            String arm = args[a];
            Path dir = Files.createTempDirectory("w8-profile");
            try (Database db = Arbor.open(dir, "w8", ArborOptions.DEFAULT.durability(ArborOptions.Durability.RELAXED))) {
                for (int i = 0; i < docs.size(); i += 1_000) {
                    db.bulkDocs(new ArrayList<>(docs.subList(i, Math.min(docs.size(), i + 1_000))));
                }
                long wall = System.nanoTime();
                long cpu = threads.getCurrentThreadCpuTime();
                long groups = switch (arm) {
                    case "js" -> {
                        db.put(Json.parseObject(DESIGN));
                        long count = db.query("w8", "count", ViewQuery.builder().groupLevel(1).build()).rows().size();
                        yield count + db.query("w8", "sum", ViewQuery.builder().groupLevel(1).build()).rows().size();
                    }
                    case "java-separate" -> {
                        ViewHandle<CityAge, Long> count = db.view(new CityAgeJavaView("w8-count", true));
                        ViewHandle<CityAge, Long> sum = db.view(new CityAgeJavaView("w8-sum", false));
                        yield count.reduceGrouped(TypedQuery.all(), 1, Keys.JSON).size()
                                + sum.reduceGrouped(TypedQuery.all(), 1, Keys.JSON).size();
                    }
                    case "java-together" -> {
                        CityAgeJavaView countView = new CityAgeJavaView("w8-count", true);
                        CityAgeJavaView sumView = new CityAgeJavaView("w8-sum", false);
                        db.views(List.of(countView, sumView));
                        yield db.view(countView).reduceGrouped(TypedQuery.all(), 1, Keys.JSON).size()
                                + db.view(sumView).reduceGrouped(TypedQuery.all(), 1, Keys.JSON).size();
                    }
                    default -> throw new IllegalArgumentException("unknown arm " + arm);
                };
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                wall = System.nanoTime() - wall;
                System.out.printf("%s: %d groups, CPU %.2f µs/doc on the indexing thread, wall %.2f µs/doc%n",
                        arm, groups, cpu / 1e3 / docs.size(), wall / 1e3 / docs.size());
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }
}
