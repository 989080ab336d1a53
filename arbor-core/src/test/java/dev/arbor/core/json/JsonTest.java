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

    @Test
    void floatsWrittenWithAnExponentAndNoFractionStayFloats() {
        // CouchDB answers 15.0, 5.0 and -2.0 for these; an integer here would change the stored body and its rev id.
        assertEquals("{\"a\":15.0,\"b\":5.0,\"c\":-2.0,\"d\":1E+2,\"e\":7}",
                Json.text(Json.parse("{\"a\":1.5e1,\"b\":5e0,\"c\":-2E0,\"d\":1e2,\"e\":7}")));
    }
}
