package dev.arbor.bench.data;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsTextTest {

    /** Expected texts are what node prints for String(x). */
    @ParameterizedTest
    @CsvSource({
            "5, 5",
            "-0.0, 0",
            "1234.5678, 1234.5678",
            "0.0001, 0.0001",
            "0.000001, 0.000001",
            "0.0000001, 1e-7",
            "1.5e-7, 1.5e-7",
            "1e21, 1e+21",
            "123456789012345680000, 123456789012345680000",
            "1.2345e22, 1.2345e+22",
            "-42.5, -42.5",
            "0.1, 0.1",
            "9999.9999, 9999.9999",
            "100, 100",
    })
    void numbersPrintAsJavaScriptPrintsThem(double value, String expected) {
        assertEquals(expected, JsText.number(value));
    }

    @Test
    void divisionResultsKeepTheShortestRoundTripDigits() {
        assertEquals("0.30000000000000004", JsText.number(0.1 + 0.2));
        assertEquals("4567.1235", JsText.number(Math.round(0.456712345 * 1e8) / 1e4));
    }

    @Test
    void stringsEscapeAsJsonStringifyDoes() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\\ud800\"", JsText.string("a\"b\\c\n\u0001\ud800"));
        assertEquals("\"\ud83d\ude00\"", JsText.string("\ud83d\ude00"));
    }
}
