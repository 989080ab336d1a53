package dev.arbor.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingTest {

    @Test
    void theStreamingFramesReadBackAsWritten() throws Exception {
        ObjectNode data = Values.object().put("bytes", new byte[] {1, 2, 3});
        Frame.Chunk chunk = assertInstanceOf(Frame.Chunk.class, Frames.decode(Frames.encode(new Frame.Chunk(9, data))));
        assertEquals(9, chunk.id());
        assertArrayEquals(new byte[] {1, 2, 3}, chunk.data().get("bytes").binaryValue());
        assertEquals(new Frame.Credit(9, 2), Frames.decode(Frames.encode(new Frame.Credit(9, 2))));
        assertEquals(new Frame.Cancel(9), Frames.decode(Frames.encode(new Frame.Cancel(9))));
    }

    @Test
    void rowsAreBatchedIntoFramesNoLargerThanAChunkWithTheHeaderFirstAndEveryRowInOrder() {
        List<JsonNode> sent = new ArrayList<>();
        Streaming.RowBatcher batcher = new Streaming.RowBatcher(sent::add);
        batcher.begin(Values.object().put("totalRows", 5000));
        for (int i = 0; i < 5000; i++) {
            batcher.row(Json.parseObject("{\"id\":\"row-" + i + "\",\"text\":\"" + "y".repeat(200) + "\"}"));
        }
        batcher.flush();

        assertTrue(sent.size() > 3, "several chunks: " + sent.size());
        List<String> ids = new ArrayList<>();
        List<JsonNode> headers = new ArrayList<>();
        for (JsonNode chunk : sent) {
            assertTrue(Frames.encode(new Frame.Chunk(Long.MAX_VALUE, chunk)).length <= Streaming.CHUNK_BYTES, "a frame within a chunk");
            Streaming.readRowsChunk(chunk, headers::add, row -> ids.add(row.get("id").asText()));
        }
        assertEquals(List.of(Values.object().put("totalRows", 5000)), headers);
        assertEquals(5000, ids.size());
        for (int i = 0; i < 5000; i++) {
            assertEquals("row-" + i, ids.get(i));
        }
    }

    @Test
    void anAnswerWithNoRowsStillSendsItsHeader() {
        List<JsonNode> sent = new ArrayList<>();
        Streaming.RowBatcher batcher = new Streaming.RowBatcher(sent::add);
        batcher.begin(Values.object().put("totalRows", 0));
        batcher.flush();
        assertEquals(1, sent.size());
        assertEquals(0, sent.getFirst().get("begin").get("totalRows").asInt());
    }
}
