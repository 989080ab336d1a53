package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.arbor.api.contract.Fixtures.GeneratedBytes;
import static dev.arbor.api.contract.Fixtures.assertArbor;
import static dev.arbor.api.contract.Fixtures.assertConflict;
import static dev.arbor.api.contract.Fixtures.assertNotFound;
import static dev.arbor.api.contract.Fixtures.base64;
import static dev.arbor.api.contract.Fixtures.couchDigest;
import static dev.arbor.api.contract.Fixtures.doc;
import static dev.arbor.api.contract.Fixtures.md5;
import static dev.arbor.api.contract.Fixtures.pos;
import static dev.arbor.api.contract.Fixtures.replicated;
import static dev.arbor.api.contract.Fixtures.rev;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link dev.arbor.api.Attachments} facet: attachments inline, stubbed, streamed and replicated. */
public abstract class AttachmentsContract extends DatabaseFacetContract {

    // ---- attachments -----------------------------------------------------------------------------------

    @Nested
    class Attachments {
        private static final byte[] HELLO = "hello, attachment".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        /** Creates {@code id} with inline attachment {@code a.bin} holding {@link #HELLO}. */
        private String withInlineAttachment(String id) {
            ObjectNode doc = doc("{'_id':'" + id + "','n':1}");
            ObjectNode att = doc.putObject("_attachments").putObject("a.bin");
            att.put("content_type", "application/octet-stream");
            att.put("data", base64(HELLO));
            return db.put(doc).rev();
        }

        @Test
        void anInlineAttachmentIsStoredAndReadBackAsAStub() {
            withInlineAttachment("a");
            ObjectNode stub = (ObjectNode) db.get("a").get("_attachments").get("a.bin");
            assertEquals("application/octet-stream", stub.get("content_type").asText());
            assertEquals(HELLO.length, stub.get("length").asLong());
            assertEquals(couchDigest(HELLO), stub.get("digest").asText());
            assertEquals(1, stub.get("revpos").asInt());
            assertTrue(stub.get("stub").asBoolean());
            assertFalse(stub.has("data"));
        }

        @Test
        void skippingIntoAnAttachmentLandsOnTheRightByteAcrossChunks() throws Exception {
            byte[] data = GeneratedBytes.of(300_000, 7);
            String rev = db.put(doc("{'_id':'big'}")).rev();
            db.putAttachment("big", rev, "blob", "application/octet-stream", new java.io.ByteArrayInputStream(data));
            for (long offset : new long[] {0, 1, 65_535, 65_536, 65_537, 200_000, 299_999, 300_000}) {
                try (AttachmentStream att = db.getAttachment("big", "blob", null)) {
                    java.io.InputStream in = att.data();
                    in.read();
                    long skipped = in.skip(offset);
                    assertEquals(Math.min(offset, data.length - 1), skipped, "skipped after one byte, offset " + offset);
                    byte[] rest = in.readAllBytes();
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) (1 + skipped), data.length), rest, "offset " + offset);
                }
            }
        }

        @Test
        void attachmentsThatFollowAreStreamedInWithTheDocument() {
            ObjectNode doc = doc("{'_id':'m','n':1}");
            ObjectNode atts = doc.putObject("_attachments");
            atts.putObject("one.txt").put("content_type", "text/plain").put("follows", true).put("length", HELLO.length);
            atts.putObject("two.bin").put("follows", true).put("digest", couchDigest(new byte[] {1, 2, 3}));
            java.util.Map<String, java.io.InputStream> parts = new java.util.LinkedHashMap<>();
            parts.put("one.txt", new java.io.ByteArrayInputStream(HELLO));
            parts.put("two.bin", new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}));
            String rev = db.putWithAttachments(doc, true, parts).rev();
            assertEquals(1, pos(rev));
            try (AttachmentStream one = db.getAttachment("m", "one.txt", null)) {
                assertEquals("text/plain", one.contentType());
                assertArrayEquals(HELLO, one.readAllBytes());
            }
            try (AttachmentStream two = db.getAttachment("m", "two.bin", rev)) {
                assertArrayEquals(new byte[] {1, 2, 3}, two.readAllBytes());
                assertEquals(couchDigest(new byte[] {1, 2, 3}), two.digest());
            }
        }

        @Test
        void aFollowingAttachmentWhoseDataDoesNotMatchItsDigestIsRefusedAndNothingIsWritten() {
            ObjectNode doc = doc("{'_id':'m'}");
            doc.putObject("_attachments").putObject("x").put("follows", true).put("digest", couchDigest(HELLO));
            java.util.Map<String, java.io.InputStream> parts = java.util.Map.of("x", new java.io.ByteArrayInputStream(new byte[] {9}));
            assertArbor(ArborException.BadRequest.class, "content_md5_mismatch", null, () -> db.putWithAttachments(doc, true, parts));
            assertNotFound("missing", () -> db.get("m"));
        }

        @Test
        void aReplicatedRevisionCanBringItsAttachmentsAsStreams() {
            ObjectNode doc = replicated("r", 2, "ba", false, "{'v':2}");
            doc.putObject("_attachments").putObject("f").put("content_type", "text/plain").put("follows", true);
            db.putWithAttachments(doc, false, java.util.Map.of("f", new java.io.ByteArrayInputStream(HELLO)));
            ObjectNode stored = db.get("r");
            assertEquals(rev(2, 'b'), stored.get("_rev").asText());
            try (AttachmentStream f = db.getAttachment("r", "f", null)) {
                assertArrayEquals(HELLO, f.readAllBytes());
            }
            // The same revision again is a no-op, as in _bulk_docs with new_edits=false.
            db.putWithAttachments(replicated("r", 2, "ba", false, "{'v':2}"), false, java.util.Map.of());
            assertEquals(rev(2, 'b'), db.get("r").get("_rev").asText());
        }

        @Test
        void aReplicatedRevisionKeepsTheRevposItsAttachmentsName() {
            // Sent inline because the target had no ancestor, but attached at revision 1: revpos stays 1.
            ObjectNode inline = replicated("i", 3, "cba", false, "{'v':3}");
            inline.putObject("_attachments").putObject("f").put("content_type", "text/plain").put("revpos", 1)
                    .put("data", java.util.Base64.getEncoder().encodeToString(HELLO));
            db.bulkDocs(List.of(inline), false);
            assertEquals(1, db.get("i").get("_attachments").get("f").get("revpos").asInt());
            ObjectNode streamed = replicated("s", 2, "ba", false, "{'v':2}");
            streamed.putObject("_attachments").putObject("f").put("content_type", "text/plain").put("revpos", 1).put("follows", true);
            db.putWithAttachments(streamed, false, java.util.Map.of("f", new java.io.ByteArrayInputStream(HELLO)));
            assertEquals(1, db.get("s").get("_attachments").get("f").get("revpos").asInt());
        }

        @Test
        void anAttachmentNameStartingWithAnUnderscoreIsRefusedAsInCouchDb() {
            String reason = "Attachment name '_x' starts with prohibited character '_'";
            var put = org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class, () -> db.putAttachment(
                    "d", null, "_x", "text/plain", new java.io.ByteArrayInputStream(HELLO)));
            assertEquals(reason, put.reason());
            ObjectNode inline = doc("{'_id':'e','_attachments':{'_x':{'content_type':'text/plain','data':'aGk='}}}");
            assertEquals(reason, org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class,
                    () -> db.put(inline)).reason());
            // In a _bulk_docs it fails the whole request, as any malformed document does.
            org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class,
                    () -> db.bulkDocs(List.of(doc("{'_id':'g'}"), inline)));
            org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class,
                    () -> db.removeAttachment("d", "1-abc", "_x"));
            assertEquals(List.of(), allDocIds(AllDocsOptions.DEFAULT));
        }

        @Test
        void aReplicatedAttachmentKeepsItsPeersDigestAndDifferentDataNeverShareOne() {
            // CouchDB digests gzip-stored attachments over the gzip stream: not the MD5 of the bytes that come.
            String peerDigest = "md5-" + java.util.Base64.getEncoder().encodeToString(md5().digest("gzip stream".getBytes()));
            byte[] other = "other data, same declared digest".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ObjectNode inline = replicated("i", 2, "ba", false, "{}");
            inline.putObject("_attachments").putObject("t.txt").put("content_type", "text/plain").put("revpos", 2)
                    .put("digest", peerDigest).put("data", java.util.Base64.getEncoder().encodeToString(HELLO));
            assertEquals(List.of(), db.bulkDocs(List.of(inline), false));
            ObjectNode streamed = replicated("s", 1, "c", false, "{}");
            streamed.putObject("_attachments").putObject("t.txt").put("content_type", "text/plain").put("revpos", 1)
                    .put("digest", peerDigest).put("length", other.length).put("follows", true);
            db.putWithAttachments(streamed, false, java.util.Map.of("t.txt", new java.io.ByteArrayInputStream(other)));
            for (String id : List.of("i", "s")) {
                JsonNode stub = db.get(id).get("_attachments").get("t.txt");
                assertEquals(peerDigest, stub.get("digest").asText(), id);
                try (AttachmentStream att = db.getAttachment(id, "t.txt", null)) {
                    assertEquals(peerDigest, att.digest());
                    assertFalse(att.dataMd5(), "the digest is not the MD5 of these bytes");
                    assertArrayEquals(id.equals("i") ? HELLO : other, att.readAllBytes(), id);
                }
            }
            ObjectNode withData = db.get("i", GetOptions.DEFAULT.attachments(true));
            assertEquals(java.util.Base64.getEncoder().encodeToString(HELLO), withData.get("_attachments").get("t.txt").get("data").asText());
            // An edit on top keeps the attachment, digest and bytes, through compaction.
            ObjectNode next = db.get("i");
            next.put("n", 1);
            db.put(next);
            db.compact();
            try (AttachmentStream att = db.getAttachment("i", "t.txt", null)) {
                assertEquals(peerDigest, att.digest());
                assertArrayEquals(HELLO, att.readAllBytes());
            }
        }

        @Test
        void aReplicatedAttachmentWhoseDeclaredLengthIsNotItsDataIsRefused() {
            ObjectNode streamed = replicated("s", 1, "c", false, "{}");
            streamed.putObject("_attachments").putObject("t.txt").put("content_type", "text/plain").put("revpos", 1)
                    .put("digest", couchDigest(HELLO)).put("length", HELLO.length + 1).put("follows", true);
            org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class, () -> db.putWithAttachments(streamed, false,
                    java.util.Map.of("t.txt", new java.io.ByteArrayInputStream(HELLO))));
            assertNotFound("missing", () -> db.get("s"));
        }

        @Test
        void stubsSentBackOnTheNextEditKeepTheAttachment() {
            String r1 = withInlineAttachment("a");
            ObjectNode next = db.get("a");
            next.put("n", 2);
            String r2 = db.put(next).rev();
            assertEquals(2, pos(r2));
            ObjectNode stub = (ObjectNode) db.get("a").get("_attachments").get("a.bin");
            assertEquals(1, stub.get("revpos").asInt(), "revpos stays where the data was written");
            assertEquals(couchDigest(HELLO), stub.get("digest").asText());
            try (AttachmentStream att = db.getAttachment("a", "a.bin", null)) {
                assertArrayEquals(HELLO, att.readAllBytes());
            }
            assertNotEquals(r1, r2);
        }

        @Test
        void anEditWithoutAttachmentsDropsThem() {
            String r1 = withInlineAttachment("a");
            update("a", r1, "{'n':2}");
            assertFalse(db.get("a").has("_attachments"));
            assertNotFound(null, () -> db.getAttachment("a", "a.bin", null));
        }

        @Test
        void attachmentsTrueInlinesTheData() {
            withInlineAttachment("a");
            ObjectNode att = (ObjectNode) db.get("a", GetOptions.DEFAULT.attachments(true)).get("_attachments").get("a.bin");
            assertArrayEquals(HELLO, Base64.getDecoder().decode(att.get("data").asText()));
            assertFalse(att.path("stub").asBoolean(false));
            assertEquals(couchDigest(HELLO), att.get("digest").asText());
        }

        @Test
        void attsSinceInlinesOnlyAttachmentsWrittenAfterThoseRevisions() {
            String r1 = withInlineAttachment("a");
            String r2 = db.putAttachment("a", r1, "b.bin", "application/octet-stream", new ByteArrayInputStream(HELLO)).rev();
            ObjectNode atts = (ObjectNode) db.get("a", GetOptions.DEFAULT.attachments(true).attsSince(List.of(r1))).get("_attachments");
            // CouchDB turns attachments at or before the newest known ancestor into stubs even when
            // attachments=true is also given (couch_db's atts_since open option), as the replicator asks.
            assertTrue(atts.get("a.bin").path("stub").asBoolean(false),
                    "a.bin (revpos 1) is known to a holder of " + r1 + ", so it must be a stub: " + atts.get("a.bin"));
            assertFalse(atts.get("a.bin").has("data"));
            assertEquals(base64(HELLO), atts.get("b.bin").get("data").asText());
            assertEquals(2, atts.get("b.bin").get("revpos").asInt());
            assertEquals(2, pos(r2));
        }

        @Test
        void getAttachmentStreamsDataWithItsMetadata() {
            withInlineAttachment("a");
            try (AttachmentStream att = db.getAttachment("a", "a.bin", null)) {
                assertEquals("a.bin", att.name());
                assertEquals("application/octet-stream", att.contentType());
                assertEquals(HELLO.length, att.length());
                assertEquals(couchDigest(HELLO), att.digest());
                assertEquals(1, att.revpos());
                assertArrayEquals(HELLO, att.readAllBytes());
            }
        }

        @Test
        void putAttachmentOnAMissingDocCreatesIt() {
            DocResult.Ok ok = db.putAttachment("new", null, "x.bin", "application/octet-stream", new ByteArrayInputStream(HELLO));
            assertEquals(1, pos(ok.rev()));
            assertEquals(ok.rev(), db.get("new").get("_rev").asText());
            assertEquals(1, db.info().docCount());
        }

        @Test
        void putAttachmentKeepsTheBodyAndOnAStaleRevConflicts() {
            String r1 = withInlineAttachment("a");
            String r2 = db.putAttachment("a", r1, "b.bin", "text/x-test", new ByteArrayInputStream(HELLO)).rev();
            ObjectNode got = db.get("a");
            assertEquals(r2, got.get("_rev").asText());
            assertEquals(1, got.get("n").asInt());
            assertEquals(Set.of("a.bin", "b.bin"), Set.copyOf(fieldNames(got.get("_attachments"))));
            assertConflict(() -> db.putAttachment("a", r1, "c.bin", "text/x-test", new ByteArrayInputStream(HELLO)));
        }

        @Test
        void aLargeAttachmentStreamsInAndOutIntact() throws IOException {
            long size = 20L << 20;
            MessageDigest expected = md5();
            try (InputStream source = new GeneratedBytes(size, 42)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = source.read(buffer, 0, buffer.length)) > 0; ) expected.update(buffer, 0, n);
            }
            String expectedDigest = "md5-" + base64(expected.digest());

            String rev = db.putAttachment("big", null, "blob", "application/octet-stream", new GeneratedBytes(size, 42)).rev();

            MessageDigest actual = md5();
            long length = 0;
            try (AttachmentStream att = db.getAttachment("big", "blob", rev)) {
                assertEquals(size, att.length());
                assertEquals(expectedDigest, att.digest());
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = att.data().read(buffer)) > 0; ) {
                    actual.update(buffer, 0, n);
                    length += n;
                }
            }
            assertEquals(size, length);
            assertEquals(expectedDigest, "md5-" + base64(actual.digest()));
            assertEquals(size, db.get("big").get("_attachments").get("blob").get("length").asLong());
        }

        @Test
        void removeAttachmentMakesARevisionWithoutIt() {
            String r1 = withInlineAttachment("a");
            String r2 = db.removeAttachment("a", r1, "a.bin").rev();
            assertEquals(2, pos(r2));
            assertFalse(db.get("a").has("_attachments"));
            assertNotFound(null, () -> db.getAttachment("a", "a.bin", null));
            try (AttachmentStream old = db.getAttachment("a", "a.bin", r1)) {
                assertArrayEquals(HELLO, old.readAllBytes(), "the old revision keeps it until compaction");
            }
        }

        @Test
        void aMissingAttachmentIsNotFound() {
            create("a", "{}");
            assertNotFound(null, () -> db.getAttachment("a", "nope", null));
            assertNotFound(null, () -> db.getAttachment("nope", "nope", null));
        }

        @Test
        void identicalDataInTwoDocsIsStoredOnce() {
            // Measured after compaction: until then an engine may still hold the duplicate upload it is
            // about to drop (RocksDB counts memtable bytes, tombstones included).
            byte[] data = GeneratedBytes.of(1 << 20, 7);
            db.putAttachment("x", null, "blob", "application/octet-stream", new ByteArrayInputStream(data));
            db.putAttachment("y", null, "blob", "application/octet-stream", new ByteArrayInputStream(data));
            db.compact();
            long active = db.info().sizeActive();
            assertTrue(active >= data.length, "the data counts in sizes.active: " + active);
            assertTrue(active < data.length * 3L / 2, "one copy, not two: sizes.active is " + active);
            try (AttachmentStream y = db.getAttachment("y", "blob", null)) {
                assertArrayEquals(data, y.readAllBytes());
            }
        }

        private static List<String> fieldNames(JsonNode node) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }
}
