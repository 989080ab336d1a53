package dev.arbor.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What both ends agree on for long payloads carried as {@link Frame.Chunk}s: the size of a chunk, the window of chunks
 * in flight before the reader grants {@link Frame.Credit}, and the shape of a chunk of rows. A slow reader so bounds
 * what either side holds for one stream to {@code WINDOW × CHUNK_BYTES}, and no frame of a stream is larger than a
 * chunk (but for a single row that is larger by itself).
 */
public final class Streaming {
    private Streaming() {}

    /** The bytes of one chunk: an attachment's piece, or the rows batched into one. */
    public static final int CHUNK_BYTES = 256 * 1024;

    /** Chunks a sender may send before its reader grants credit: the reader's one-chunk credit per chunk taken refills it. */
    public static final int WINDOW = 8;

    /** The argument that announces an upload: the client's chunks follow the request, ended by one with {@code end}. */
    public static final String UPLOAD = "upload";

    /** One row, encoded on its own so a batch knows its size exactly: CBOR, as a frame's trees are. */
    public static byte[] encodeRow(JsonNode row) {
        try {
            return Frames.CBOR.writeValueAsBytes(row);
        } catch (IOException e) {
            throw new ArborException.Internal("cannot encode a row: " + e.getMessage(), e);
        }
    }

    public static JsonNode decodeRow(JsonNode bytes) {
        try {
            return Frames.CBOR.readTree(bytes.binaryValue());
        } catch (IOException e) {
            throw new ArborException.BadRequest("bad_request", "a streamed row is not CBOR: " + e.getMessage());
        }
    }

    /**
     * The rows chunk's tree: {@code {begin?, rows: [bytes...]}}; {@code begin} (the answer's header: total rows, offset,
     * update seq) comes in the first chunk only, so a sink hears it before any row.
     */
    public static ObjectNode rowsChunk(JsonNode begin, List<byte[]> rows) {
        ObjectNode out = Values.object();
        if (begin != null) {
            out.set("begin", begin);
        }
        ArrayNode array = out.putArray("rows");
        rows.forEach(array::add);
        return out;
    }

    /** Reads a rows chunk: its header (when it has one) to {@code begin}, then each row in order to {@code row}. */
    public static void readRowsChunk(JsonNode chunk, Consumer<JsonNode> begin, Consumer<JsonNode> row) {
        JsonNode header = chunk.get("begin");
        if (header != null && !header.isNull()) {
            begin.accept(header);
        }
        for (JsonNode bytes : chunk.path("rows")) {
            row.accept(decodeRow(bytes));
        }
    }

    /**
     * Gathers encoded rows into chunks of at most {@link #CHUNK_BYTES} and hands each full one to {@code sender}. Not
     * thread-safe: one per stream, used by the thread that produces the rows.
     */
    public static final class RowBatcher {
        /** A row's own bytes in the chunk beyond its encoding: CBOR's longest byte-string length prefix. */
        private static final int ROW_OVERHEAD = 9;
        /** Kept free in a chunk for its map, its keys and the answer's header. */
        private static final int HEADER_ROOM = 1024;

        private final Consumer<JsonNode> sender;
        private final List<byte[]> rows = new ArrayList<>();
        private JsonNode begin;
        private int bytes;

        public RowBatcher(Consumer<JsonNode> sender) {
            this.sender = sender;
        }

        /** The answer's header; goes out with the first chunk. */
        public void begin(JsonNode header) {
            this.begin = header;
        }

        public void row(JsonNode row) {
            rawRow(encodeRow(row));
        }

        /** A row already encoded: CBOR, or whatever the operation's rows are (a Mango answer's JSON documents). */
        public void rawRow(byte[] encoded) {
            int size = encoded.length + ROW_OVERHEAD;
            if (!rows.isEmpty() && bytes + size > CHUNK_BYTES - HEADER_ROOM) {
                flush();
            }
            rows.add(encoded);
            bytes += size;
        }

        /** Sends what is gathered, the header included even with no row. */
        public void flush() {
            if (rows.isEmpty() && begin == null) {
                return;
            }
            JsonNode chunk = rowsChunk(begin, rows);
            begin = null;
            rows.clear();
            bytes = 0;
            sender.accept(chunk);
        }
    }
}
