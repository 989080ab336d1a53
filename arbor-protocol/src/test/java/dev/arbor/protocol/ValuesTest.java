package dev.arbor.protocol;

import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.keyvalue.Numeric;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.SetResult;
import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.SwapResult;
import dev.arbor.api.keyvalue.Value;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each value crosses a frame and back unchanged: through CBOR, as the connection carries it. */
class ValuesTest {

    private static com.fasterxml.jackson.databind.JsonNode cross(com.fasterxml.jackson.databind.JsonNode tree) {
        return ((Frame.Response) Frames.decode(Frames.encode(new Frame.Response(1, tree)))).result();
    }

    @Test
    void readOptionsCrossWhole() {
        GetOptions get = GetOptions.DEFAULT.rev("1-a").revs(true).conflicts(true).attsSince(List.of("1-a"));
        assertEquals(get, Values.getOptions(cross(Values.tree(get))));
        AllDocsOptions all = AllDocsOptions.DEFAULT.startkey("a").endkey("z").limit(5).includeDocs(true).keys(List.of("b"));
        assertEquals(all, Values.allDocsOptions(cross(Values.tree(all))));
    }

    @Test
    void documentResultsKeepTheirKind() {
        List<DocResult> results = List.of(new DocResult.Ok("a", "1-x"), new DocResult.Error("b", null, "conflict", "Document update conflict."));
        assertEquals(results, Values.docResults(cross(Values.docResults(results))));
    }

    @Test
    void keyValueValuesKeepTheirKindAndBytes() {
        for (Value value : List.of(Value.of(new byte[] {1, 2}), Value.of("text"), Value.of(7L), Value.of(2.5),
                Value.of(java.util.Map.of("k", "v")), new Numeric.Integer(Long.MIN_VALUE))) {
            assertEquals(value, Values.value(cross(Values.value(value))));
        }
    }

    @Test
    void setOptionsAndOutcomesCrossWhole() {
        for (SetOptions options : List.of(SetOptions.DEFAULT, SetOptions.DEFAULT.onlyIfVacant().returnPrevious(),
                SetOptions.DEFAULT.onlyIfExists().expireIn(Duration.ofMillis(1500)),
                SetOptions.DEFAULT.expireAt(Instant.parse("2030-01-02T03:04:05.123456789Z")),
                SetOptions.DEFAULT.keepExistingExpiration())) {
            assertEquals(options, Values.setOptions(cross(Values.setOptions(options))));
        }
        SetResult set = new SetResult(KeyStatus.UPDATED, Optional.of(Value.of("before")));
        assertEquals(set, Values.setResult(cross(Values.setResult(set))));
        for (SwapResult swap : List.of(new SwapResult.Swapped(), new SwapResult.Mismatch(Optional.empty()),
                new SwapResult.Mismatch(Optional.of(Value.of(1L))))) {
            assertEquals(swap, Values.swapResult(cross(Values.swapResult(swap))));
        }
    }
}
