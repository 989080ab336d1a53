package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesResult;
import dev.arbor.api.CommitEvent;
import dev.arbor.api.Database;
import dev.arbor.api.Subscription;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.client.protocol.ChangesSubscription;
import dev.arbor.client.protocol.Reconnect;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Streaming;
import dev.arbor.protocol.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long answers and uploads travel as chunks no larger than {@link Streaming#CHUNK_BYTES}, paced by the reader's credit,
 * so memory stays bounded on both ends whatever the size; and a commit subscription is pushed and can be made again
 * from its latest seq.
 */
class StreamingOverProtocolTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    private static final int MIB = 1024 * 1024;
    /** A chunk frame's bytes beyond its payload: the frame's map, the request id, the field names. */
    private static final int FRAME_OVERHEAD = 64;

    /** {@code size} pseudo-random bytes made as they are read, never held whole. */
    private static InputStream generated(long size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? random.nextInt(256) : -1;
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                for (int i = 0; i < n; i++) {
                    into[offset + i] = (byte) random.nextInt(256);
                }
                left -= n;
                return n;
            }
        };
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private ProtocolConnection adminConnection() {
        return ProtocolConnection.open(server.uri(SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD), Duration.ofSeconds(30));
    }

    @Test
    void aTwentyMebibyteAttachmentRoundTripsInChunksNoneLargerThanAChunk() throws Exception {
        long size = 20L * MIB;
        try (ProtocolStorage storage = new ProtocolStorage(adminConnection())) {
            Database db = storage.createDatabase("big-attachment");
            String rev = db.put(Json.parseObject("{\"_id\":\"d\"}")).rev();
            String written = db.putAttachment("d", rev, "blob", "application/octet-stream", generated(size, 7)).rev();

            try (AttachmentStream read = db.getAttachment("d", "blob", null)) {
                assertEquals(size, read.length());
                assertEquals(sha256(generated(size, 7)), sha256(read.data()));
            }
            assertEquals(written, db.get("d").get("_rev").asText());
        }

        // The same read, frame by frame: the metadata, then the bytes in full chunks, then the closing response.
        RawProtocolClient raw = RawProtocolClient.greeted(server.port(), SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);
        raw.send(new Frame.Request(1, Op.ATTACHMENT_GET.wireName(),
                Values.object().put("db", "big-attachment").put("id", "d").put("name", "blob")));
        int chunks = 0;
        long bytes = 0;
        Frame frame;
        while ((frame = raw.next()) instanceof Frame.Chunk chunk) {
            assertTrue(Frames.encode(chunk).length <= Streaming.CHUNK_BYTES + FRAME_OVERHEAD, "a chunk frame within the chunk size");
            if (chunk.data().has("bytes")) {
                chunks++;
                bytes += chunk.data().get("bytes").binaryValue().length;
            }
            raw.send(new Frame.Credit(1, 1));
        }
        assertInstanceOf(Frame.Response.class, frame);
        assertEquals(size, bytes);
        assertEquals(size / Streaming.CHUNK_BYTES, chunks);
    }

    @Test
    void aReaderThatGrantsNoCreditIsSentOneWindowOfChunksAndThenOneChunkPerCredit() throws Exception {
        try (ProtocolStorage storage = new ProtocolStorage(adminConnection())) {
            Database db = storage.createDatabase("slow-reader");
            String rev = db.put(Json.parseObject("{\"_id\":\"d\"}")).rev();
            db.putAttachment("d", rev, "blob", "application/octet-stream", generated(4L * MIB, 1));
        }
        RawProtocolClient raw = RawProtocolClient.greeted(server.port(), SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);
        raw.send(new Frame.Request(1, Op.ATTACHMENT_GET.wireName(),
                Values.object().put("db", "slow-reader").put("id", "d").put("name", "blob")));
        for (int i = 0; i < Streaming.WINDOW; i++) {
            assertEquals(1, assertInstanceOf(Frame.Chunk.class, raw.next()).id());
        }
        // The stream waits for credit; the connection does not: another request is answered meanwhile, and nothing
        // more of the stream has come before that answer.
        raw.send(new Frame.Request(2, Op.DB_INFO.wireName(), Values.object().put("db", "slow-reader")));
        assertEquals(2, assertInstanceOf(Frame.Response.class, raw.next()).id());

        raw.send(new Frame.Credit(1, 2));
        assertEquals(1, assertInstanceOf(Frame.Chunk.class, raw.next()).id());
        assertEquals(1, assertInstanceOf(Frame.Chunk.class, raw.next()).id());
        raw.send(new Frame.Request(3, Op.DB_INFO.wireName(), Values.object().put("db", "slow-reader")));
        assertEquals(3, assertInstanceOf(Frame.Response.class, raw.next()).id());

        // A cancel ends the stream: the connection goes on.
        raw.send(new Frame.Cancel(1));
        raw.send(new Frame.Request(4, Op.DB_INFO.wireName(), Values.object().put("db", "slow-reader")));
        Frame next;
        do {
            next = raw.next();
        } while (!(next instanceof Frame.Response response && response.id() == 4));
    }

    @Test
    void aLongChangesFeedArrivesInChunksNoneLargerThanAChunkWithEveryRowInOrder() throws Exception {
        int docs = 3000;
        try (ProtocolStorage storage = new ProtocolStorage(adminConnection())) {
            Database db = storage.createDatabase("long-feed");
            for (int batch = 0; batch < docs / 500; batch++) {
                List<ObjectNode> bodies = new java.util.ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    bodies.add(Json.parseObject("{\"_id\":\"doc-" + (batch * 500 + i) + "\",\"text\":\"" + "x".repeat(300) + "\"}"));
                }
                db.bulkDocs(bodies, true);
            }
            ChangesResult over = db.changes(ChangesOptions.DEFAULT.includeDocs(true));
            ChangesResult local = server.storage().database("long-feed").changes(ChangesOptions.DEFAULT.includeDocs(true));
            assertEquals(local, over);
            assertEquals(docs, over.results().size());
        }

        RawProtocolClient raw = RawProtocolClient.greeted(server.port(), SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);
        ObjectNode args = Values.object().put("db", "long-feed");
        args.set("options", Values.tree(ChangesOptions.DEFAULT.includeDocs(true)));
        raw.send(new Frame.Request(1, Op.CHANGES_READ.wireName(), args));
        int chunks = 0;
        int rows = 0;
        Frame frame;
        while ((frame = raw.next()) instanceof Frame.Chunk chunk) {
            assertTrue(Frames.encode(chunk).length <= Streaming.CHUNK_BYTES + FRAME_OVERHEAD, "a chunk frame within the chunk size");
            chunks++;
            rows += chunk.data().path("rows").size();
            raw.send(new Frame.Credit(1, 1));
        }
        assertInstanceOf(Frame.Response.class, frame);
        assertEquals(docs, rows);
        assertTrue(chunks > 3, "more than a window's worth of bytes comes in several chunks: " + chunks);
    }

    @Test
    void aCommitSubscriptionMadeAgainOnANewConnectionHearsOfTheCommitsItMissed() throws Exception {
        server.storage().createDatabase("resumed");
        // Slow to reconnect, so the write below lands while no connection listens.
        Reconnect slow = new Reconnect(true, Duration.ofMillis(500), Duration.ofSeconds(1));
        try (dev.arbor.server.reliability.FaultyProxy proxy = new dev.arbor.server.reliability.FaultyProxy(server.port(), 0, 0, 5);
             ProtocolStorage remote = server.connectAsAdminThrough(proxy.port(), Duration.ofSeconds(30), slow)) {
            BlockingQueue<CommitEvent> events = new LinkedBlockingQueue<>();
            ChangesSubscription subscription = (ChangesSubscription) remote.database("resumed").onCommit(events::add);
            server.storage().database("resumed").put(Json.parseObject("{\"_id\":\"a\"}"));
            CommitEvent heard = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(heard, "a pushed commit");
            assertEquals(heard.updateSeq(), subscription.latestSeq());
            assertEquals(heard.updateSeq(), dev.arbor.api.Seq.fromJson(subscription.args().get("since")),
                    "a resubscription names its latest seq");

            proxy.cutAll();
            // Written while no connection listens.
            server.storage().database("resumed").put(Json.parseObject("{\"_id\":\"b\"}"));
            long now = server.storage().database("resumed").info().updateSeq().number();

            CommitEvent missed = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(missed, "the resubscription tells of the commit written in between");
            assertEquals(now, missed.updateSeq().number());
            assertTrue(subscription.isOpen());

            subscription.close();
            assertTrue(!subscription.isOpen() && subscription.failure().isEmpty(), "closed by its consumer, not failed");
            // A listener opened after the close hears the next write; the closed one must not have heard it by then.
            BlockingQueue<CommitEvent> later = new LinkedBlockingQueue<>();
            try (Subscription after = remote.database("resumed").onCommit(later::add)) {
                server.storage().database("resumed").put(Json.parseObject("{\"_id\":\"c\"}"));
                assertNotNull(later.poll(10, TimeUnit.SECONDS), "the open listener hears the write");
            }
            assertNull(events.poll(), "no push after the subscription closed");
        }
    }

    @Test
    void aCommitSubscriptionOnAConnectionThatCannotReconnectEndsWithTheReason() throws Exception {
        server.storage().createDatabase("given-up");
        ProtocolConnection only = adminConnection();
        ChangesSubscription subscription = (ChangesSubscription) new ProtocolStorage(only).database("given-up").onCommit(e -> { });
        only.close();
        assertTrue(!subscription.isOpen(), "a subscription nothing will make again ends");
        assertTrue(subscription.failure().orElseThrow().reason().contains("closed by this client"),
                subscription.failure().orElseThrow().reason());
    }

    @Test
    void anUploadCutOffByItsConnectionsEndWritesNothing() throws Exception {
        Database local = server.storage().createDatabase("cut-off");
        String rev = local.put(Json.parseObject("{\"_id\":\"d\"}")).rev();
        java.util.concurrent.CountDownLatch halfSent = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        // Four chunks' worth, then it stalls as a stuck source would.
        InputStream stalling = new java.io.SequenceInputStream(generated(4L * Streaming.CHUNK_BYTES, 3), new InputStream() {
            @Override
            public int read() throws java.io.IOException {
                halfSent.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return -1;
            }
        });
        ProtocolConnection connection = adminConnection();
        Database remote = new ProtocolStorage(connection).database("cut-off");
        Thread uploader = Thread.ofVirtual().start(() -> {
            try {
                remote.putAttachment("d", rev, "blob", "application/octet-stream", stalling);
            } catch (RuntimeException expected) {
                // the connection's end fails the call
            }
        });
        assertTrue(halfSent.await(10, TimeUnit.SECONDS));
        connection.close();
        uploader.interrupt();
        uploader.join(10_000);

        // The server's read of the upload failed with the connection; the document is as it was.
        try (ProtocolStorage fresh = new ProtocolStorage(adminConnection())) {
            Database again = fresh.database("cut-off");
            assertEquals(rev, again.get("d").get("_rev").asText());
            assertTrue(again.get("d").path("_attachments").isMissingNode(), "no attachment written");
            // The connection that replaced it uploads in full.
            String written = again.putAttachment("d", rev, "blob", "application/octet-stream", generated(3L * Streaming.CHUNK_BYTES, 4)).rev();
            assertEquals(written, again.get("d").get("_rev").asText());
        }
    }

    @Test
    void aConnectionHoldsABoundedNumberOfOpenStreams() throws Exception {
        server.storage().createDatabase("many-streams");
        RawProtocolClient raw = RawProtocolClient.greeted(server.port(), SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);
        int limit = dev.arbor.server.protocol.ProtocolConnection.MAX_OPEN_STREAMS;
        for (int id = 1; id <= limit; id++) {
            raw.send(new Frame.Request(id, Op.CHANGES_SUBSCRIBE.wireName(), Values.object().put("db", "many-streams")));
            assertTrue(assertInstanceOf(Frame.Chunk.class, raw.next()).data().path("ready").asBoolean());
        }
        raw.send(new Frame.Request(limit + 1, Op.CHANGES_SUBSCRIBE.wireName(), Values.object().put("db", "many-streams")));
        Frame.Failure refused = assertInstanceOf(Frame.Failure.class, raw.next());
        assertEquals(limit + 1, refused.id());
        assertTrue(refused.reason().startsWith("more than " + limit + " streams are open"), refused.reason());

        // Closing one makes room for another.
        raw.send(new Frame.Cancel(1));
        Frame closed = raw.next();
        assertEquals(1, assertInstanceOf(Frame.Failure.class, closed).id());
        raw.send(new Frame.Request(limit + 2, Op.CHANGES_SUBSCRIBE.wireName(), Values.object().put("db", "many-streams")));
        assertEquals(limit + 2, assertInstanceOf(Frame.Chunk.class, raw.next()).id());
    }

    @Test
    void streamsWaitingForCreditLeaveNoRequestWaitingForASlot() throws Exception {
        try (ProtocolStorage storage = new ProtocolStorage(adminConnection())) {
            Database db = storage.createDatabase("stalled-streams");
            String rev = db.put(Json.parseObject("{\"_id\":\"d\"}")).rev();
            db.putAttachment("d", rev, "blob", "application/octet-stream", generated(3L * MIB, 5));
        }
        RawProtocolClient raw = RawProtocolClient.greeted(server.port(), SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);
        // More stalled streams than the connection has in-flight slots (client_simultaneous_request_limit, 16).
        int streams = 24;
        for (int id = 1; id <= streams; id++) {
            raw.send(new Frame.Request(id, Op.ATTACHMENT_GET.wireName(),
                    Values.object().put("db", "stalled-streams").put("id", "d").put("name", "blob")));
        }
        int chunks = 0;
        while (chunks < streams * Streaming.WINDOW) {
            assertInstanceOf(Frame.Chunk.class, raw.next());
            chunks++;
        }
        raw.send(new Frame.Request(streams + 1, Op.DB_INFO.wireName(), Values.object().put("db", "stalled-streams")));
        assertEquals(streams + 1, assertInstanceOf(Frame.Response.class, raw.next()).id(), "a request is answered beside them");
        // And each stalled stream still finishes once credited.
        for (int id = 1; id <= streams; id++) {
            raw.send(new Frame.Credit(id, 1000));
        }
        int answered = 0;
        while (answered < streams) {
            if (raw.next() instanceof Frame.Response) {
                answered++;
            }
        }
    }
}
