package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Database;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not a test: a main that measures W7's Mango query (index on {@code age}, the arm of arbor-bench's
 * {@code ArborStore.findUsersInTheirThirties}) as CPU time per query on the calling thread, which runs the whole
 * query, and wall p50, for profiling on a shared machine. Run with the test classpath:
 * {@code java -cp ... dev.arbor.engine.mango.W7QueryProfile DOCS.jsonl DB-DIR [ROUNDS [page]]} (page: limit 25 only); DB-DIR is loaded
 * (RELAXED, bulkDocs of 1,000) and indexed when it does not exist yet (then {@code -Dw7.compact=true} compacts it),
 * and reused when it does. The first 20 queries are timed one by one: after a fresh load they are the harness's.
 * {@code -Dw7.prewarm=N} first runs N query pairs on a database of the first 10,000 documents (a temporary
 * directory), as the harness's warm-up pass does with 20, to tell JIT warm-up from the rest.
 */
public final class W7QueryProfile {
    private W7QueryProfile() {}

    private static final FindRequest QUERY = FindRequest.of(Json.parse("{\"age\":{\"$gte\":30,\"$lt\":40},\"type\":\"user\"}"));

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean pageOnly = args.length > 3 && args[3].equals("page");
        boolean load = !Files.exists(dir);
        int prewarm = Integer.getInteger("w7.prewarm", 0);
        if (prewarm > 0) {
            Path warmDir = Files.createTempDirectory("w7warm");
            try (Database warm = Arbor.open(warmDir, "w7", ArborOptions.DEFAULT.durability(ArborOptions.Durability.RELAXED))) {
                List<ObjectNode> docs = new ArrayList<>();
                try (Stream<String> lines = Files.lines(data).limit(10_000)) {
                    lines.forEach(line -> docs.add(Json.parseObject(line)));
                }
                for (int i = 0; i < docs.size(); i += 1_000) {
                    warm.bulkDocs(new ArrayList<>(docs.subList(i, Math.min(docs.size(), i + 1_000))));
                }
                warm.createIndex(IndexDefinition.of("age").ddoc("w7").name("age"));
                for (int i = 0; i < prewarm; i++) {
                    warm.find(QUERY.limit(Integer.MAX_VALUE)).docs().size();
                    warm.find(QUERY.limit(25)).docs().size();
                }
            }
        }
        try (Database db = Arbor.open(dir, "w7", ArborOptions.DEFAULT.durability(ArborOptions.Durability.RELAXED))) {
            if (load) {
                List<ObjectNode> docs = new ArrayList<>();
                try (Stream<String> lines = Files.lines(data)) {
                    lines.forEach(line -> docs.add(Json.parseObject(line)));
                }
                for (int i = 0; i < docs.size(); i += 1_000) {
                    db.bulkDocs(new ArrayList<>(docs.subList(i, Math.min(docs.size(), i + 1_000))));
                }
                db.createIndex(IndexDefinition.of("age").ddoc("w7").name("age"));
                if (Boolean.getBoolean("w7.compact")) {
                    db.compact();
                }
            }
            firstQueries(db, 20);
            var stats = db.find(QUERY.limit(25).executionStats(true)).executionStats();
            System.out.printf("limit 25 reads %d index rows and %d documents%n", stats.totalKeysExamined(), stats.totalDocsExamined());
            for (int round = 0; round < rounds; round++) {
                if (!pageOnly) {
                    measure(db, "all", Integer.MAX_VALUE, 40, 60);
                }
                measure(db, "limit 25", 25, 2_000, 3_000);
                if (!pageOnly) {
                    interleaved(db, 40);
                }
            }
        }
    }

    /** The harness's first queries one by one (after a fresh load they are the ones the harness times): wall and caller CPU. */
    private static void firstQueries(Database db, int runs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StringBuilder line = new StringBuilder("first all-results queries, wall/CPU ms:");
        for (int i = 0; i < runs; i++) {
            long startCpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            db.find(QUERY.limit(Integer.MAX_VALUE)).docs().size();
            line.append(String.format(" %.1f/%.1f", (System.nanoTime() - start) / 1e6, (threads.getCurrentThreadCpuTime() - startCpu) / 1e6));
            start = System.nanoTime();
            db.find(QUERY.limit(25)).docs().size();
            line.append(String.format(" [%.2f]", (System.nanoTime() - start) / 1e6));
        }
        System.out.println(line);
    }

    /** A pause between the all-results query and the limit-25 one ({@code -Dw7.pauseMillis}), to tell background work from cold caches. */
    private static final long PAUSE_MILLIS = Long.getLong("w7.pauseMillis", 0);

    /** The harness's order: each limit-25 query right after an all-results one, its caches cold. */
    private static void interleaved(Database db, int runs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        FindRequest all = QUERY.limit(Integer.MAX_VALUE);
        FindRequest page = QUERY.limit(25);
        long[] walls = new long[runs];
        long cpu = 0;
        for (int i = 0; i < runs; i++) {
            db.find(all).docs().size();
            if (PAUSE_MILLIS > 0) {
                try {
                    Thread.sleep(PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long startCpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            db.find(page).docs().size();
            walls[i] = System.nanoTime() - start;
            cpu += threads.getCurrentThreadCpuTime() - startCpu;
        }
        Arrays.sort(walls);
        System.out.printf("limit 25 after all: CPU %.1f µs/query, wall p50 %.1f µs%n", cpu / 1e3 / runs, walls[runs / 2] / 1e3);
    }

    private static void measure(Database db, String name, int limit, int warmUp, int runs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        FindRequest request = QUERY.limit(limit);
        long found = 0;
        for (int i = 0; i < warmUp; i++) {
            found = db.find(request).docs().size();
        }
        long[] walls = new long[runs];
        long cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            found = db.find(request).docs().size();
            walls[i] = System.nanoTime() - start;
        }
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        Arrays.sort(walls);
        System.out.printf("%s: %d docs, CPU %.1f µs/query, wall p50 %.1f µs%n", name, found, cpu / 1e3 / runs, walls[runs / 2] / 1e3);
    }
}

