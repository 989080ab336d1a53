package dev.arbor.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AtomicWrite;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.AccessPolicy;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Atomic batches and typed view queries cross the protocol as they were given, through a CBOR frame. */
class ApiCallsTest {
    private static <T> T throughAFrame(JsonNode tree, Function<JsonNode, T> read) {
        ObjectNode args = Values.object();
        args.set("v", tree);
        Frame.Request request = (Frame.Request) Frames.decode(Frames.encode(new Frame.Request(1, "x", args)));
        return read.apply(request.args().get("v"));
    }

    @Test
    void anAtomicBatchKeepsItsKindsAndDocuments() {
        List<AtomicWrite> writes = List.of(new AtomicWrite.Edit(Json.parseObject("{\"_id\":\"a\",\"_rev\":\"1-x\",\"n\":1.5}")),
                new AtomicWrite.Overwrite(Json.parseObject("{\"_id\":\"b\"}")));
        assertEquals(writes, throughAFrame(ApiCalls.atomicWrites(writes), ApiCalls::atomicWrites));
    }

    @Test
    void anUnknownWriteKindIsABadRequest() {
        assertThrows(ArborException.BadRequest.class, () -> ApiCalls.atomicWrites(Json.MAPPER.readTree("[{\"kind\":\"upsert\",\"doc\":{}}]")));
        assertThrows(ArborException.BadRequest.class, () -> ApiCalls.atomicWrites(Json.MAPPER.readTree("{}")));
    }

    @Test
    void aTypedQueryKeepsItsSelectionOrderAndPaging() {
        for (TypedQuery<Long> query : List.of(TypedQuery.<Long>all(), TypedQuery.key(7L), TypedQuery.keys(List.of(3L, 1L)),
                TypedQuery.range(2L, 9L).exclusiveEnd().descending().skip(1).limit(4).access(AccessPolicy.UPDATE_AFTER))) {
            assertEquals(query, throughAFrame(TypedViewValues.query(query, Keys.LONG), tree -> TypedViewValues.query(tree, Keys.LONG)));
        }
    }
}
