package dev.arbor.engine.keyvalue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.options.KeyValueOptions;
import dev.arbor.api.Database;
import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.KeyValuePersistence;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.Numeric;
import dev.arbor.api.keyvalue.Overflow;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.SwapResult;
import dev.arbor.api.keyvalue.Value;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.storage.EngineStorage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each operation's semantics, the same in both persistence modes. */
class KeyValueOperationsTest {
    record Point(int x, int y) {}

    static Stream<KeyValuePersistence> modes() {
        return Stream.of(KeyValuePersistence.IMMEDIATE, KeyValuePersistence.lazy(3, Duration.ofMinutes(1)));
    }

    private static Database open(KeyValuePersistence persistence) {
        return EngineStorage.inMemory(KeyValueOptions.DEFAULT.persistence(persistence)).openOwned("db");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void valuesKeepTheirKindBytesTextNumbersAndJacksonTypes(KeyValuePersistence mode) {
        try (Database db = open(mode)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            kv.set("bytes", new byte[] {1, 2, 3});
            kv.set("text", "hello");
            kv.set("long", 42L);
            kv.set("double", 2.5);
            kv.set("point", new Point(3, 4));

            assertArrayEquals(new byte[] {1, 2, 3}, kv.get("bytes").orElseThrow().asBytes());
            assertEquals("hello", kv.get("text").orElseThrow().asText());
            assertEquals(new Numeric.Integer(42), kv.get("long").orElseThrow());
            assertEquals(2.5, kv.get("double").orElseThrow().asDouble());
            assertEquals(Optional.of(new Point(3, 4)), kv.get("point", Point.class));
            ObjectNode asTree = kv.get("point", ObjectNode.class).orElseThrow();
            assertEquals(Json.parseObject("{\"x\":3,\"y\":4}"), asTree);
            assertThrows(ArborException.BadRequest.class, () -> kv.get("text").orElseThrow().asLong());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void setConditionsDecideWhetherToWriteAndReturnPreviousOnlyWhenAsked(KeyValuePersistence mode) {
        try (Database db = open(mode)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            assertEquals(KeyStatus.NOT_CHANGED, kv.set("k", "a", SetOptions.DEFAULT.onlyIfExists()).status());
            assertEquals(Optional.empty(), kv.get("k"));
            assertEquals(KeyStatus.INSERTED, kv.set("k", "a", SetOptions.DEFAULT.onlyIfVacant()).status());
            var refused = kv.set("k", "b", SetOptions.DEFAULT.onlyIfVacant().returnPrevious());
            assertEquals(KeyStatus.NOT_CHANGED, refused.status());
            assertEquals(Optional.of(new Value.Text("a")), refused.previous(), "the value that stayed");
            var updated = kv.set("k", "c", SetOptions.DEFAULT);
            assertEquals(KeyStatus.UPDATED, updated.status());
            assertEquals(Optional.empty(), updated.previous(), "not asked for");
            assertEquals(Optional.of("c"), kv.get("k", String.class));
            assertThrows(ArborException.BadRequest.class, () -> SetOptions.DEFAULT.onlyIfVacant().onlyIfExists());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void takeReturnsAndRemovesDeleteReportsWhetherThereWasAnything(KeyValuePersistence mode) {
        try (Database db = open(mode)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            kv.set("job", "payload");
            assertEquals(Optional.of(new Value.Text("payload")), kv.take("job"));
            assertEquals(Optional.empty(), kv.take("job"));
            assertEquals(Optional.empty(), kv.get("job"));
            kv.set("x", 1);
            assertEquals(KeyStatus.DELETED, kv.delete("x"));
            assertEquals(KeyStatus.NOT_CHANGED, kv.delete("x"));
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void namespacesNeverShareKeys(KeyValuePersistence mode) {
        try (Database db = open(mode)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            kv.set("k", "default");
            kv.namespace("a").set("k", "in a");
            kv.namespace("ab").set("", "ab with empty key");
            assertEquals(Optional.of("default"), kv.get("k", String.class));
            assertEquals(Optional.of("in a"), kv.namespace("a").get("k", String.class));
            assertEquals(Optional.empty(), kv.namespace("a").get("bk"), "namespace a + key bk is not namespace ab + key k");
            assertEquals(Optional.empty(), kv.namespace("ab").get("k"));
            assertEquals("a", kv.namespace("a").namespace());
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void integerArithmeticSaturatesByDefaultWrapsOrRefusesWhenAsked(KeyValuePersistence mode) {
        try (Database db = open(mode)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            assertEquals(5, kv.increment("n", 5), "a vacant key counts as 0");
            assertEquals(2, kv.decrement("n", 3));
            kv.set("max", Long.MAX_VALUE - 1);
            assertEquals(Long.MAX_VALUE, kv.increment("max", 10));
            assertEquals(Long.MIN_VALUE + 9, kv.increment("max", 10, Overflow.WRAP));
            kv.set("min", Long.MIN_VALUE + 1);
            assertEquals(Long.MIN_VALUE, kv.decrement("min", 5));
            var refused = assertThrows(ArborException.BadRequest.class, () -> kv.decrement("min", 1, Overflow.CHECKED));
            assertTrue(refused.getMessage().contains("overflow"), refused.getMessage());
            assertEquals(Optional.of(Long.MIN_VALUE), kv.get("min", Long.class), "a refused operation changes nothing");
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void floatArithmeticWidensIntegersAndIntegerArithmeticTruncatesFloats(KeyValuePersistence mode) {
        try (Database db = open(mode)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            assertEquals(0.5, kv.increment("f", 0.5));
            assertEquals(0.25, kv.decrement("f", 0.25));
            kv.set("i", 2);
            assertEquals(3.5, kv.increment("i", 1.5), "the integer is widened");
            assertEquals(new Numeric.Float(3.5), kv.get("i").orElseThrow(), "and the key now holds a float");
            assertEquals(4, kv.increment("i", 1), "BonsaiDb's rule: the amount's type wins, the float is cast");
            kv.set("text", "seven");
            assertThrows(ArborException.BadRequest.class, () -> kv.increment("text", 1));
            assertEquals(Optional.of("seven"), kv.get("text", String.class));
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void compareAndSwapReplacesOnlyTheExpectedValue(KeyValuePersistence mode) {
        try (Database db = open(mode)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            assertTrue(kv.compareAndSwap("owner", Optional.empty(), Value.of("alice")).swapped(), "empty expects vacant");
            SwapResult lost = kv.compareAndSwap("owner", Optional.empty(), Value.of("bob"));
            assertEquals(new SwapResult.Mismatch(Optional.of(new Value.Text("alice"))), lost);
            assertFalse(kv.compareAndSwap("owner", Optional.of(Value.of("carol")), Value.of("bob")).swapped());
            assertTrue(kv.compareAndSwap("owner", Optional.of(Value.of("alice")), Value.of("bob")).swapped());
            assertEquals(Optional.of("bob"), kv.get("owner", String.class));
            kv.set("p", new Point(1, 2));
            assertTrue(kv.compareAndSwap("p", Optional.of(Value.of(new Point(1, 2))), Value.of(new Point(2, 2))).swapped(),
                    "Jackson values compare by their JSON");
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void keyValueWritesStayOutOfDocumentsAndTheChangesFeed(KeyValuePersistence mode) {
        try (Database db = open(mode)) {
            db.keyValue().orElseThrow().set("counter", 1);
            db.put(Json.parseObject("{\"_id\":\"doc\"}"));
            db.keyValue().orElseThrow().increment("counter", 1);
            assertEquals(1, db.info().docCount());
            assertEquals(1, db.info().updateSeq().number(), "only the document write made a sequence");
            assertEquals(List.of("doc"), db.changes(dev.arbor.api.ChangesOptions.DEFAULT).results().stream().map(r -> r.id()).toList());
        }
    }
}
