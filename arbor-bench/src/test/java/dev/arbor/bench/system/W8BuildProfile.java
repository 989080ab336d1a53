package dev.arbor.bench.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Database;
import dev.arbor.api.key.Keys;
import dev.arbor.bench.system.ArborStore.CityAge;
import dev.arbor.bench.system.ArborStore.CityAgeJavaView;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.typed.TypedQuery;
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
 * {@code java -cp ... dev.arbor.bench.system.W8BuildProfile DOCS.jsonl [js|java-separate|java-together]...}.
 * The views are the harness's own ({@link ArborStore}).
 */
public final class W8BuildProfile {
    private W8BuildProfile() {}

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
                        db.put(Json.parseObject(ArborStore.CITY_AGE_DESIGN));
                        long count = db.query("w8", "count", ViewQuery.builder().groupLevel(1).build()).rows().size();
                        yield count + db.query("w8", "sum", ViewQuery.builder().groupLevel(1).build()).rows().size();
                    }
                    case "java-separate" -> {
                        ViewHandle<CityAge, Long> count = db.typedViews().orElseThrow().view(new CityAgeJavaView("w8-count", true));
                        ViewHandle<CityAge, Long> sum = db.typedViews().orElseThrow().view(new CityAgeJavaView("w8-sum", false));
                        yield count.reduceGrouped(TypedQuery.all(), 1, Keys.JSON).size()
                                + sum.reduceGrouped(TypedQuery.all(), 1, Keys.JSON).size();
                    }
                    case "java-together" -> {
                        CityAgeJavaView countView = new CityAgeJavaView("w8-count", true);
                        CityAgeJavaView sumView = new CityAgeJavaView("w8-sum", false);
                        db.typedViews().orElseThrow().views(List.of(countView, sumView));
                        yield db.typedViews().orElseThrow().view(countView).reduceGrouped(TypedQuery.all(), 1, Keys.JSON).size()
                                + db.typedViews().orElseThrow().view(sumView).reduceGrouped(TypedQuery.all(), 1, Keys.JSON).size();
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
