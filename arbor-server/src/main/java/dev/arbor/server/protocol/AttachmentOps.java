package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.Database;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Streaming;
import dev.arbor.protocol.Values;
import dev.arbor.server.http.Access;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.arbor.protocol.Values.requireText;
import static dev.arbor.server.protocol.LocalDocumentOps.db;

/**
 * Attachments, streamed both ways in chunks of {@link Streaming#CHUNK_BYTES}: a read sends the metadata, then the
 * bytes as the client's credit allows; a write reads the client's upload as the engine consumes it. Checked as
 * {@code /db/doc/att} is: reads by {@code READ}, writes as writing the document ({@code _design/} documents by the
 * database's admins).
 */
final class AttachmentOps {
    private AttachmentOps() {}

    static void register(Dispatcher d) {
        d.onStream(Op.ATTACHMENT_GET, (c, a, s) -> {
            Database db = db(c, a, Access.READ);
            try (AttachmentStream att = db.getAttachment(requireText(a, "id"), requireText(a, "name"), Values.text(a, "rev"))) {
                ObjectNode meta = Values.object().put("name", att.name()).put("contentType", att.contentType())
                        .put("length", att.length()).put("digest", att.digest()).put("revpos", att.revpos())
                        .put("dataMd5", att.dataMd5());
                Outbound out = s.out();
                out.send(Values.object().set("meta", meta));
                byte[] buffer = new byte[Streaming.CHUNK_BYTES];
                int filled;
                while ((filled = att.data().readNBytes(buffer, 0, buffer.length)) > 0) {
                    out.send(Values.object().put("bytes", java.util.Arrays.copyOf(buffer, filled)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return NullNode.instance;
        });
        d.onStream(Op.ATTACHMENT_PUT, (c, a, s) -> {
            String id = requireText(a, "id");
            return Values.docResult(db(c, a, writeAccess(id)).putAttachment(id, Values.text(a, "rev"),
                    requireText(a, "name"), Values.text(a, "contentType"), s.in().nextPart()));
        });
        d.on(Op.ATTACHMENT_REMOVE, (c, a) -> {
            String id = requireText(a, "id");
            return Values.docResult(db(c, a, writeAccess(id)).removeAttachment(id, Values.text(a, "rev"), requireText(a, "name")));
        });
        d.onStream(Op.DOC_PUT_WITH_ATTACHMENTS, (c, a, s) -> {
            ObjectNode doc = LocalDocumentOps.object(a, "doc");
            String id = doc.path("_id").asText("");
            Map<String, InputStream> following = new LinkedHashMap<>();
            // The client sends the parts one after another in this order; the engine reads them in the map's order.
            for (JsonNode name : a.path("parts")) {
                following.put(name.asText(), s.in().nextPart());
            }
            if (!following.isEmpty() && following.size() != a.path("parts").size()) {
                throw new ArborException.BadRequest("bad_request", "the parts of an upload must have distinct names");
            }
            return Values.docResult(db(c, a, writeAccess(id)).putWithAttachments(doc, a.path("newEdits").asBoolean(true), following));
        });
    }

    /** As {@code DocumentEndpoints.WRITE_ACCESS}: design documents are their database's admins' to write. */
    private static Access writeAccess(String docId) {
        return docId.startsWith("_design/") ? Access.DB_ADMIN : Access.WRITE;
    }
}
