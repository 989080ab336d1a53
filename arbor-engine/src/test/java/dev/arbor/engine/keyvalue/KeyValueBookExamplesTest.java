package dev.arbor.engine.keyvalue;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.SetResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** BonsaiDb's key-value examples (examples/basic-local/examples/key-value-store.rs and the book's counter), in Java. */
class KeyValueBookExamplesTest {
    @TempDir
    Path dir;

    @Test
    void keyValueStoreExampleSetsReplacesNamespacesAndLocks() {
        try (Database db = Arbor.open(dir)) {
            KeyValueStore kv = db.keyValue().orElseThrow();

            // set_key can insert or replace a key; values can be anything Jackson serialises.
            assertEquals(KeyStatus.INSERTED, kv.set("mykey", 1));

            // Or customise its behaviour: only if it exists, returning the previous value.
            SetResult replaced = kv.set("mykey", 2, SetOptions.DEFAULT.onlyIfExists().returnPrevious());
            assertEquals(Optional.of(1L), replaced.previous().map(v -> v.as(Long.class)));

            // Retrieving is simple too.
            assertEquals(Optional.of(2L), kv.get("mykey", Long.class));

            // Namespacing is built in, so storage is easily separated.
            assertEquals(Optional.empty(), kv.namespace("anamespace").get("mykey"));

            // Because the store is atomic, set can serve as a lock: only the first taker gets it.
            // (The lock outlives this example by far: a shorter one could expire before the second taker on a busy machine.)
            SetOptions lock = SetOptions.DEFAULT.onlyIfVacant().expireIn(Duration.ofMinutes(5));
            assertEquals(KeyStatus.INSERTED, kv.set("lockname", "worker-1", lock).status());
            assertEquals(KeyStatus.NOT_CHANGED, kv.set("lockname", "worker-2", lock).status());
            assertEquals(Optional.of("worker-1"), kv.get("lockname", String.class));
        }
    }

    @Test
    void counterCountsVisitsAcrossReopening() {
        for (int run = 1; run <= 3; run++) {
            try (Database db = Arbor.open(dir)) {
                KeyValueStore counters = db.keyValue().orElseThrow().namespace("counters");
                long visits = 0;
                for (int i = 0; i < 10; i++) {
                    visits = counters.increment("visits", 1);
                }
                assertEquals(10L * run, visits, "each run adds its ten visits to the stored count");
                assertEquals(Optional.of(10L * run), counters.get("visits", Long.class));
            }
        }
    }
}
