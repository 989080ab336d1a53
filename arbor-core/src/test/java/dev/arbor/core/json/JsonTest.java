package dev.arbor.core.json;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {
    private static final String DUPLICATED = "{\"a\":1,\"a\":2}";

    @Test
    void requestBodiesWithARepeatedMemberAreRefused() {
        assertThrows(ArborException.class, () -> Json.parse(DUPLICATED));
    }

    @Test
    void storedBodiesAreReadWithoutTheDuplicateCheckKeepingTheLastValue() throws Exception {
        assertEquals(2, Json.STORED.readTree(DUPLICATED.getBytes(StandardCharsets.UTF_8)).get("a").intValue());
    }

    @Test
    void storedReaderKeepsExactDecimals() throws Exception {
        assertEquals("1.10", Json.STORED.readTree("{\"n\":1.10}".getBytes(StandardCharsets.UTF_8)).get("n").decimalValue().toPlainString());
    }
}
