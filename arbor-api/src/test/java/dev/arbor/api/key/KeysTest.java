package dev.arbor.api.key;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.collate.Collation;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every built-in key keeps its type's order in both forms: CouchDB collation of the JSON form (view keys) and byte
 * order of the id form (collection listings), and both forms round-trip.
 */
class KeysTest {
    private static final int TRIES = 2_000;
    private final Random random = new Random(42);

    enum Priority { LOW, MEDIUM, HIGH }

    record YearMonth(int year, int month) {}

    record Tagged(Priority priority, String name) {}

    @Test
    void longsCollateAndListNumericallyAcrossTheWholeRange() {
        assertOrderKept(Keys.LONG, () -> switch (random.nextInt(4)) {
            case 0 -> random.nextLong();
            case 1 -> (long) random.nextInt(2_000) - 1_000;
            case 2 -> random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(3) : Long.MIN_VALUE + random.nextInt(3);
            default -> (1L << 53) + random.nextInt(5);
        }, Comparator.naturalOrder());
        assertEquals("0000000000000000042", Keys.LONG.toId(42L));
    }

    @Test
    void integersCollateAndListNumerically() {
        assertOrderKept(Keys.INTEGER, random::nextInt, Comparator.naturalOrder());
    }

    @Test
    void doublesCollateAndListNumericallyIncludingNegativesAndZero() {
        assertOrderKept(Keys.DOUBLE, () -> switch (random.nextInt(3)) {
            case 0 -> random.nextGaussian() * 1e6;
            case 1 -> Double.longBitsToDouble(random.nextLong() & 0x7FEFFFFFFFFFFFFFL) * (random.nextBoolean() ? 1 : -1);
            default -> (double) random.nextInt(5) - 2;
        }, Comparator.naturalOrder());
        assertEquals(Keys.DOUBLE.toId(0.0), Keys.DOUBLE.toId(-0.0));
        assertThrows(IllegalArgumentException.class, () -> Keys.DOUBLE.toJson(Double.NaN));
    }

    @Test
    void instantsBeforeAndAfterTheEpochKeepNanosecondOrder() {
        assertOrderKept(Keys.INSTANT, () -> Instant.ofEpochSecond(random.nextLong(-4_000_000_000L, 40_000_000_000L),
                random.nextInt(1_000_000_000)), Comparator.naturalOrder());
        assertEquals(0, Keys.INSTANT.toJson(Instant.ofEpochSecond(1, 5)).decimalValue().compareTo(new java.math.BigDecimal("1.000000005")));
    }

    @Test
    void uuidsOrderAsTheirUnsignedBytes() {
        Comparator<UUID> unsigned = Comparator.comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
                .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);
        assertOrderKept(Keys.UUID_KEY, () -> new UUID(random.nextLong(), random.nextLong()), unsigned);
    }

    @Test
    void enumsByOrdinalKeepDeclarationOrder() {
        assertOrderKept(Keys.enumByOrdinal(Priority.class),
                () -> Priority.values()[random.nextInt(3)], Comparator.naturalOrder());
    }

    @Test
    void enumsByNameRoundTripAndSurviveReordering() {
        Key<Priority> key = Keys.enumByName(Priority.class);
        assertEquals("HIGH", key.toJson(Priority.HIGH).textValue());
        assertEquals(Priority.LOW, key.fromJson(key.toJson(Priority.LOW)));
        assertEquals(Priority.MEDIUM, key.fromId(key.toId(Priority.MEDIUM)));
    }

    @Test
    void emptyOptionalsSortBeforeEveryPresentValue() {
        Key<Optional<Long>> key = Keys.optional(Keys.LONG);
        assertOrderKept(key, () -> random.nextInt(4) == 0 ? Optional.empty() : Optional.of(random.nextLong()),
                Comparator.comparing((Optional<Long> o) -> o.orElse(null), Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    @Test
    void recordKeysAreArraysSoGroupLevelPrefixesWork() {
        Key<YearMonth> key = Keys.forType(YearMonth.class);
        assertEquals("[2026,11]", key.toJson(new YearMonth(2026, 11)).toString());
        assertEquals(new YearMonth(1999, 1), key.fromJson(key.toJson(new YearMonth(1999, 1))));
        assertCollationOrder(key, () -> new YearMonth(random.nextInt(1990, 2030), random.nextInt(1, 13)),
                Comparator.comparingInt(YearMonth::year).thenComparingInt(YearMonth::month));
        assertTrue(Collation.INSTANCE.compare(Json.MAPPER.createArrayNode().add(2026),
                key.toJson(new YearMonth(2026, 1))) < 0, "a group_level=1 prefix sorts before its rows");
    }

    @Test
    void recordComponentsCanTakeExplicitKeys() {
        Key<Tagged> key = Keys.record(Tagged.class, Keys.enumByOrdinal(Priority.class), Keys.STRING);
        assertEquals("[2,\"x\"]", key.toJson(new Tagged(Priority.HIGH, "x")).toString());
        assertEquals(new Tagged(Priority.LOW, "y"), key.fromJson(key.toJson(new Tagged(Priority.LOW, "y"))));
    }

    @Test
    void stringViewKeysCollateLikeCouchDbAndIdsKeepTheString() {
        Key<String> key = Keys.STRING;
        assertTrue(Collation.INSTANCE.compare(key.toJson("a"), key.toJson("B")) < 0, "ICU: a before B");
        assertEquals("posts/élan", key.toId("posts/élan"));
    }

    @Test
    void listsCollateElementByElementWithPrefixesFirst() {
        assertCollationOrder(Keys.list(Keys.INTEGER),
                () -> random.ints(random.nextInt(4), 0, 3).boxed().toList(), (a, b) -> {
                    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                        int c = Integer.compare(a.get(i), b.get(i));
                        if (c != 0) {
                            return c;
                        }
                    }
                    return Integer.compare(a.size(), b.size());
                });
    }

    @Test
    void typesWithoutABuiltInKeyAreRefusedByName() {
        var refused = assertThrows(IllegalArgumentException.class, () -> Keys.forType(StringBuilder.class));
        assertTrue(refused.getMessage().contains("java.lang.StringBuilder"), refused.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Keys.LONG.fromJson(Json.MAPPER.getNodeFactory().textNode("7")));
    }

    /** Both forms keep the order and round-trip. */
    private <K> void assertOrderKept(Key<K> key, Supplier<K> values, Comparator<? super K> order) {
        assertCollationOrder(key, values, order);
        List<K> sample = sample(values);
        for (int i = 1; i < sample.size(); i++) {
            K a = sample.get(i - 1);
            K b = sample.get(i);
            byte[] idA = key.toId(a).getBytes(StandardCharsets.UTF_8);
            byte[] idB = key.toId(b).getBytes(StandardCharsets.UTF_8);
            assertEquals(Integer.signum(order.compare(a, b)), Integer.signum(Arrays.compareUnsigned(idA, idB)),
                    "id order of " + a + " and " + b);
            assertEquals(a, key.fromId(key.toId(a)));
        }
    }

    private <K> void assertCollationOrder(Key<K> key, Supplier<K> values, Comparator<? super K> order) {
        List<K> sample = sample(values);
        for (int i = 1; i < sample.size(); i++) {
            K a = sample.get(i - 1);
            K b = sample.get(i);
            JsonNode jsonA = key.toJson(a);
            assertEquals(Integer.signum(order.compare(a, b)), Integer.signum(Collation.INSTANCE.compare(jsonA, key.toJson(b))),
                    "collation of " + a + " and " + b);
            assertEquals(a, key.fromJson(jsonA));
        }
    }

    private <K> List<K> sample(Supplier<K> values) {
        List<K> sample = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            sample.add(values.get());
        }
        return sample;
    }
}
