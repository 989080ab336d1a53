package dev.arbor.js;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Compiled functions are shared by threads; each call runs in a sandbox no other thread uses meanwhile. */
class ThreadSafetyTest {
    private static final int THREADS = 8;

    @Test
    void eightThreadsMappingTheSameDocsAtOnceGetTheSameResultsAsOneThread() throws Exception {
        // The map keeps state in a global and a required module, so a sandbox shared by two threads would show.
        var ddoc = Ddocs.view(Docs.HEAVY_MAP.replace("function(doc) {",
                "function(doc) { calls = (typeof calls === 'number' ? calls : 0) + 1; var scratch = require('views/lib/scratch');"
                        + " scratch.last = doc._id; if (scratch.last !== doc._id) throw 'shared sandbox';"), null);
        ((com.fasterxml.jackson.databind.node.ObjectNode) ddoc.get("views")).putObject("lib").put("scratch", "exports.last = null;");
        Ddocs.Log log = new Ddocs.Log();
        MapFunction map = DesignDocFunctions.compile(ddoc, log.options()).views().get("v").map();
        List<String> docs = Docs.generate(7, 3000);
        List<List<Emit>> expected = new ArrayList<>();
        for (String doc : docs) {
            expected.add(map.map(doc));
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<List<Emit>>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t * 97;
                Callable<List<List<Emit>>> task = () -> {
                    start.await();
                    List<List<Emit>> out = new ArrayList<>(docs.size());
                    for (int i = 0; i < docs.size(); i++) {
                        out.add(null);
                    }
                    for (int n = 0; n < docs.size(); n++) {
                        int i = (n + offset) % docs.size(); // threads walk the docs from different places
                        out.set(i, map.map(docs.get(i)));
                    }
                    return out;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<List<List<Emit>>> result : results) {
                assertEquals(expected, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), log.lines);
        assertFalse(expected.stream().allMatch(List::isEmpty));
    }
}
