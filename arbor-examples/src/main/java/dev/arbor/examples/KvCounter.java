package dev.arbor.examples;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.SetResult;

import java.nio.file.Path;
import java.time.Duration;

/**
 * BonsaiDb's key-value example in Java: set and replace a key, namespaces, a lock with
 * {@code onlyIfVacant} and a time to live, and a visit counter that survives reopening the database.
 */
public final class KvCounter implements Example {
    @Override
    public void run(Path dataDir) throws Exception {
        try (Database db = Arbor.open(dataDir)) {
            KeyValueStore kv = db.keyValue().orElseThrow();

            kv.set("mykey", 1);
            SetResult replaced = kv.set("mykey", 2, SetOptions.DEFAULT.onlyIfExists().returnPrevious());
            System.out.println("replaced mykey; previous value: " + replaced.previous().orElseThrow().asLong());
            System.out.println("mykey is now: " + kv.get("mykey", Long.class).orElseThrow());
            System.out.println("mykey in namespace 'anamespace': " + kv.namespace("anamespace").get("mykey").map(Object::toString).orElse("(none)"));

            SetOptions lock = SetOptions.DEFAULT.onlyIfVacant().expireIn(Duration.ofMillis(100));
            KeyStatus first = kv.set("lockname", "worker-1", lock).status();
            KeyStatus second = kv.set("lockname", "worker-2", lock).status();
            System.out.println("lock: first try " + first + ", second try " + second);
            Thread.sleep(150);
            System.out.println("lock after its 100 ms: " + kv.set("lockname", "worker-2", lock).status());
        }

        for (int run = 1; run <= 3; run++) {
            try (Database db = Arbor.open(dataDir)) {
                KeyValueStore counters = db.keyValue().orElseThrow().namespace("counters");
                long visits = 0;
                for (int i = 0; i < 10; i++) {
                    visits = counters.increment("visits", 1);
                }
                System.out.println("run " + run + ": visits = " + visits + " (after reopening the database)");
            }
        }
    }
}
