package dev.arbor.collection;

import dev.arbor.Arbor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pushes from many threads get distinct ids, with no gaps when nothing fails. */
class ConcurrentPushTest {
    record Event(int thread, int n) {}

    static final Collection<Event, Long> EVENTS = Collection.of("event", Event.class);
    static final Schema LOG = Schema.builder("log").collection(EVENTS).build();

    @TempDir
    Path dir;

    /** The database under {@code schema}; {@link ConcurrentPushOverProtocolTest} reaches it through a server. */
    CollectionDatabase open(Schema schema) {
        return Arbor.open(dir, schema);
    }

    @Test
    void pushesFromManyThreadsGetDistinctIds() throws Exception {
        int threads = 16;
        int perThread = 100;
        try (CollectionDatabase db = open(LOG); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            var events = db.collection(EVENTS);
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<Long>> pusher = () -> {
                    List<Long> ids = new ArrayList<>();
                    for (int n = 0; n < perThread; n++) {
                        ids.add(events.push(new Event(thread, n)).id());
                    }
                    return ids;
                };
                futures.add(pool.submit(pusher));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> future : futures) {
                all.addAll(future.get());
            }
            assertEquals(threads * perThread, all.size());
            assertEquals(threads * perThread, events.count());
            assertEquals(0L, all.stream().mapToLong(Long::longValue).min().orElseThrow());
            assertEquals(threads * perThread - 1L, all.stream().mapToLong(Long::longValue).max().orElseThrow());
        }
    }
}
