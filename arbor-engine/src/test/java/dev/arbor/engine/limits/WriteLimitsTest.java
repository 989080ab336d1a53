package dev.arbor.engine.limits;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.options.WriteLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code max_document_size} and {@code max_attachment_size} on every write path of the Java API, on RocksDB, with
 * CouchDB's errors; a refused write leaves nothing behind.
 */
class WriteLimitsTest {
    private static final int MAX_DOC = 100;
    private static final int MAX_ATT = 64;

    @TempDir
    Path dir;

    private Database db;

    @BeforeEach
    void open() {
        db = Arbor.open(dir, "db", ArborOptions.DEFAULT.limits(new WriteLimits(MAX_DOC, MAX_ATT)));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static ObjectNode docWithBody(String id, int textLength) {
        ObjectNode doc = Json.object();
        if (id != null) {
            doc.put("_id", id);
        }
        return doc.put("text", "x".repeat(textLength));
    }

    private static ObjectNode withInline(ObjectNode doc, String name, int bytes) {
        doc.putObject("_attachments").putObject(name).put("content_type", "application/octet-stream")
                .put("data", Base64.getEncoder().encodeToString(new byte[bytes]));
        return doc;
    }

    private static void assertTooLarge(ArborException e, String error, String reason) {
        assertInstanceOf(ArborException.TooLarge.class, e);
        assertEquals(error, e.error());
        assertEquals(reason, e.reason());
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithItsIdOnPutAndAtTheLimitAccepted() {
        // {"text":"xx…"} is 11 bytes of JSON around the text
        db.put(docWithBody("fits", MAX_DOC - 11));
        var e = assertThrows(ArborException.TooLarge.class, () -> db.put(docWithBody("big", MAX_DOC - 10)));
        assertTooLarge(e, "document_too_large", "big");
        assertThrows(ArborException.NotFound.class, () -> db.get("big"));
    }

    @Test
    void aPostedBodyOverTheLimitIsRefusedWithAnEmptyReasonWhenItHasNoId() {
        var e = assertThrows(ArborException.TooLarge.class, () -> db.post(docWithBody(null, MAX_DOC)));
        assertTooLarge(e, "document_too_large", "");
        assertEquals(0, db.info().docCount());
    }

    @Test
    void underscoreMembersAndAttachmentsDoNotCountTowardsTheDocumentSize() {
        ObjectNode doc = withInline(docWithBody("with-att", MAX_DOC - 11), "a.bin", MAX_ATT);
        DocResult.Ok ok = db.put(doc);
        assertEquals("with-att", ok.id());
    }

    @Test
    void oneOversizedDocumentFailsTheWholeBulkAndWritesNone() {
        List<ObjectNode> docs = List.of(docWithBody("small", 1), docWithBody("huge", MAX_DOC));
        var e = assertThrows(ArborException.TooLarge.class, () -> db.bulkDocs(docs, true));
        assertTooLarge(e, "document_too_large", "huge");
        assertEquals(0, db.info().docCount());
        var replicated = assertThrows(ArborException.TooLarge.class,
                () -> db.bulkDocs(List.of(docWithBody("huge", MAX_DOC).put("_rev", "1-abc")), false));
        assertEquals("document_too_large", replicated.error());
    }

    @Test
    void anInlineAttachmentOverTheLimitIsRefusedByName() {
        db.put(withInline(docWithBody("ok", 1), "fits.bin", MAX_ATT));
        var e = assertThrows(ArborException.TooLarge.class,
                () -> db.put(withInline(docWithBody("no", 1), "big.bin", MAX_ATT + 1)));
        assertTooLarge(e, "attachment_too_large", "big.bin");
        assertThrows(ArborException.NotFound.class, () -> db.get("no"));
    }

    @Test
    void aStandaloneAttachmentOverTheLimitIsRefusedWhileStreamingAndTheDocumentKeepsItsRevision() {
        DocResult.Ok created = db.put(docWithBody("doc", 1));
        DocResult.Ok fits = db.putAttachment("doc", created.rev(), "fits.bin", "application/octet-stream",
                new ByteArrayInputStream(new byte[MAX_ATT]));
        var e = assertThrows(ArborException.TooLarge.class, () -> db.putAttachment("doc", fits.rev(), "big.bin",
                "application/octet-stream", new ByteArrayInputStream(new byte[MAX_ATT * 1000])));
        assertTooLarge(e, "attachment_too_large", "big.bin");
        assertEquals(fits.rev(), db.get("doc").path("_rev").asText());
    }

    @Test
    void aFollowingAttachmentOverTheLimitIsRefusedWhetherItsLengthIsDeclaredOrOnlyStreamed() {
        ObjectNode declared = docWithBody("declared", 1);
        declared.putObject("_attachments").putObject("big.bin").put("follows", true).put("length", MAX_ATT + 1);
        var e1 = assertThrows(ArborException.TooLarge.class, () -> db.putWithAttachments(declared, true,
                Map.of("big.bin", new ByteArrayInputStream(new byte[MAX_ATT + 1]))));
        assertTooLarge(e1, "attachment_too_large", "big.bin");

        ObjectNode undeclared = docWithBody("undeclared", 1);
        undeclared.putObject("_attachments").putObject("big.bin").put("follows", true);
        var e2 = assertThrows(ArborException.TooLarge.class, () -> db.putWithAttachments(undeclared, true,
                Map.of("big.bin", new ByteArrayInputStream(new byte[MAX_ATT * 3]))));
        assertTooLarge(e2, "attachment_too_large", "big.bin");
        assertEquals(0, db.info().docCount());
    }

    @Test
    void theDefaultsAreCouchDbsEightMillionByteDocumentsAndUnlimitedAttachments() {
        assertEquals(8_000_000, WriteLimits.DEFAULT.maxDocumentBytes());
        assertEquals(WriteLimits.UNLIMITED, WriteLimits.DEFAULT.maxAttachmentBytes());
        try (Database defaults = Arbor.open(dir.resolve("defaults"))) {
            var e = assertThrows(ArborException.class, () -> defaults.put(docWithBody("big", 8_000_000)));
            assertInstanceOf(ArborException.TooLarge.class, e);
            defaults.put(docWithBody("fits", 7_999_000));
        }
    }
}
