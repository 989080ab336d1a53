package dev.arbor.server.protocol;

import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Streaming;
import dev.arbor.protocol.Values;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upload's chunks as the request's thread reads them: within the credit granted they read back in order, part by
 * part; past it, the upload fails rather than queue without bound. (A connection that is not open: its credit frames go
 * nowhere, which these reads do not need.)
 */
class InboundTest {
    private static final ProtocolConnection NOT_OPEN = new ProtocolConnection(null, null, 1, new RequestWorkers(1),
            new PushBuffer(1 << 20), () -> { });

    private static Frame.Chunk bytes(int... values) {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (byte) values[i];
        }
        return new Frame.Chunk(1, Values.object().put("bytes", data));
    }

    private static Frame.Chunk end() {
        return new Frame.Chunk(1, Values.object().put("end", true));
    }

    @Test
    void partsReadBackInOrderEachToItsEnd() throws IOException {
        Inbound inbound = new Inbound(1, NOT_OPEN, RequestStreams.Waits.NONE);
        inbound.offer(bytes(1, 2));
        inbound.offer(bytes(3));
        inbound.offer(end());
        inbound.offer(bytes(4));
        inbound.offer(end());
        InputStream first = inbound.nextPart();
        InputStream second = inbound.nextPart();
        assertArrayEquals(new byte[] {1, 2, 3}, first.readAllBytes());
        assertArrayEquals(new byte[] {4}, second.readAllBytes());
    }

    @Test
    void aClientSendingPastItsCreditHasItsUploadFail() throws IOException {
        Inbound inbound = new Inbound(1, NOT_OPEN, RequestStreams.Waits.NONE);
        for (int i = 0; i <= Streaming.WINDOW; i++) {
            inbound.offer(bytes(i));
        }
        InputStream part = inbound.nextPart();
        for (int i = 0; i < Streaming.WINDOW; i++) {
            assertEquals(i, part.read(), "the chunks within the window");
        }
        IOException overrun = assertThrows(IOException.class, part::read);
        assertTrue(overrun.getMessage().contains("more of the upload than its credit allowed"), overrun.getMessage());
    }

    @Test
    void eachChunkTakenGrantsRoomForOneMore() throws IOException {
        Inbound inbound = new Inbound(1, NOT_OPEN, RequestStreams.Waits.NONE);
        for (int i = 0; i < Streaming.WINDOW; i++) {
            inbound.offer(bytes(i));
        }
        InputStream part = inbound.nextPart();
        assertEquals(0, part.read());
        inbound.offer(end());
        assertEquals(Streaming.WINDOW - 1, part.readAllBytes().length, "the rest, then the end the credit made room for");
    }

    @Test
    void aCancelledUploadFailsItsReader() {
        Inbound inbound = new Inbound(1, NOT_OPEN, RequestStreams.Waits.NONE);
        inbound.offer(bytes(1));
        inbound.cancel();
        InputStream part = inbound.nextPart();
        IOException gone = assertThrows(IOException.class, part::readAllBytes);
        assertTrue(gone.getMessage().contains("cancelled or its connection closed"), gone.getMessage());
    }
}
