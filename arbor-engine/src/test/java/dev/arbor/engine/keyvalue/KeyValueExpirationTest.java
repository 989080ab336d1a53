package dev.arbor.engine.keyvalue;

import dev.arbor.options.KeyValueOptions;
import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.KeyValuePersistence;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import dev.arbor.testkit.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expiration against a clock the test moves: expired keys are never returned, and are reclaimed in the background. */
class KeyValueExpirationTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final MemoryKvStore store = new MemoryKvStore(EngineSpaces.ALL);

    static Stream<KeyValuePersistence> modes() {
        return KeyValueOperationsTest.modes();
    }

    private EngineDatabase open(KeyValuePersistence mode, Duration reclaimInterval) {
        return new EngineDatabase("db", store, false,
                new KeyValueOptions(mode, clock, reclaimInterval), () -> {});
    }

    /** Entries and index keys physically in the KV space (committed). */
    private int storedKeys() {
        int n = 0;
        try (KvCursor cursor = store.scan(KeyValueSpaces.KV, null, null, false)) {
            while (cursor.next()) {
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aKeyWithATimeToLiveReadsAsAbsentOnceItsTimeIsUp(KeyValuePersistence mode) {
        try (EngineDatabase db = open(mode, Duration.ofHours(1))) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            kv.set("session", "token", SetOptions.DEFAULT.expireIn(Duration.ofSeconds(30)));
            clock.advance(Duration.ofSeconds(29));
            assertEquals(Optional.of("token"), kv.get("session", String.class));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(Optional.empty(), kv.get("session"), "expired exactly at its time");
            assertEquals(Optional.empty(), kv.take("session"));
            assertEquals(KeyStatus.NOT_CHANGED, kv.delete("session"));
            assertEquals(KeyStatus.INSERTED, kv.set("session", "new", SetOptions.DEFAULT.onlyIfVacant()).status(),
                    "an expired key is vacant");
            assertEquals(Optional.of("new"), kv.get("session", String.class), "and the new value never expires");
            clock.advance(Duration.ofDays(365));
            assertEquals(Optional.of("new"), kv.get("session", String.class));
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void anAbsoluteExpirationAndKeepingTheExistingOne(KeyValuePersistence mode) {
        try (EngineDatabase db = open(mode, Duration.ofHours(1))) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            Instant noon = Instant.parse("2030-01-01T12:00:00Z");
            kv.set("k", 1, SetOptions.DEFAULT.expireAt(noon));
            kv.set("k", 2, SetOptions.DEFAULT.keepExistingExpiration());
            assertEquals(3, kv.increment("k", 1), "arithmetic keeps the expiration too");
            clock.advance(Duration.ofHours(12).minusMillis(1));
            assertEquals(Optional.of(3L), kv.get("k", Long.class));
            clock.advance(Duration.ofMillis(1));
            assertEquals(Optional.empty(), kv.get("k"));
            assertEquals(1, kv.increment("k", 1), "an expired counter starts again from zero");

            kv.set("past", "x", SetOptions.DEFAULT.expireAt(Instant.parse("2000-01-01T00:00:00Z")));
            assertEquals(Optional.empty(), kv.get("past"), "an expiry already past leaves the key reading as absent");
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void settingWithoutExpirationClearsAnEarlierOne(KeyValuePersistence mode) {
        try (EngineDatabase db = open(mode, Duration.ofHours(1))) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            kv.set("k", "short-lived", SetOptions.DEFAULT.expireIn(Duration.ofSeconds(1)));
            kv.set("k", "permanent");
            clock.advance(Duration.ofMinutes(1));
            assertEquals(Optional.of("permanent"), kv.get("k", String.class));
            db.keyValueService().reclaimExpired();
            assertEquals(Optional.of("permanent"), kv.get("k", String.class), "reclaiming never takes a live key");
        }
    }

    @Test
    void reclaimDeletesExpiredEntriesAndTheirIndexKeysOnly() {
        try (EngineDatabase db = open(KeyValuePersistence.IMMEDIATE, Duration.ofHours(1))) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            for (int i = 0; i < 2500; i++) {
                kv.set("temp" + i, i, SetOptions.DEFAULT.expireIn(Duration.ofSeconds(10 + i % 2)));
            }
            kv.set("kept", "forever");
            kv.set("later", "soon", SetOptions.DEFAULT.expireIn(Duration.ofHours(1)));
            assertEquals(2 * 2500 + 1 + 2, storedKeys(), "each expiring entry has an index key");

            clock.advance(Duration.ofSeconds(10));
            assertEquals(1250, db.keyValueService().reclaimExpired(), "the half expiring at 10 s");
            clock.advance(Duration.ofSeconds(1));
            assertEquals(1250, db.keyValueService().reclaimExpired(), "over more than one batch in all");
            assertEquals(1 + 2, storedKeys(), "kept, and later with its index key");
            assertEquals(Optional.of("soon"), kv.get("later", String.class));
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    @Timeout(120)
    void theBackgroundReclaimsExpiredKeysWithoutBeingAsked(KeyValuePersistence mode) throws Exception {
        try (EngineDatabase db = open(mode, Duration.ofMillis(20))) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            kv.set("kept", "forever");
            kv.set("gone", "soon", SetOptions.DEFAULT.expireIn(Duration.ofSeconds(5)));
            kv.set("filler", 0); // the lazy mode's third change: it commits all three
            assertEquals(4, storedKeys(), "three entries and one index key are committed");
            clock.advance(Duration.ofSeconds(5));
            Eventually.until("the background sweep removed the expired entry and its index key", () -> storedKeys() == 2);
            assertEquals(Optional.of("forever"), kv.get("kept", String.class));
            assertEquals(Optional.empty(), kv.get("gone"));
        }
    }
}
