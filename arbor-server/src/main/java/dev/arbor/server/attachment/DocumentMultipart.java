package dev.arbor.server.attachment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.Database;
import dev.arbor.api.OpenRev;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Documents written out as CouchDB writes them for its replicator: one document with its attachments
 * as {@code multipart/related} ({@code couch_doc:doc_to_multi_part_stream}), and the revisions of an
 * {@code open_revs} read as {@code multipart/mixed} ({@code chttpd_db:send_docs_multipart}).
 * Attachment data is copied from storage to the response chunk by chunk.
 */
final class DocumentMultipart {
    private DocumentMultipart() {}

    /**
     * Turns the stubs of attachments the client lacks into {@code "follows": true} and names them, in
     * {@code _attachments} order. The client lacks what was attached after the newest of its
     * {@code attsSince} revisions that is an ancestor of this one (CouchDB's {@code find_ancestor_rev_pos});
     * with no such revision it lacks everything. Needs the doc's {@code _revisions}.
     */
    static List<String> markFollowing(ObjectNode doc, List<String> attsSince) {
        List<String> names = new ArrayList<>();
        if (!(doc.get("_attachments") instanceof ObjectNode atts)) {
            return names;
        }
        long clientHasUpTo = newestKnownAncestor(doc.get("_revisions"), attsSince);
        for (Iterator<Map.Entry<String, JsonNode>> it = atts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue() instanceof ObjectNode att && att.path("revpos").asLong(0) > clientHasUpTo) {
                att.remove("stub");
                att.put("follows", true);
                names.add(entry.getKey());
            }
        }
        return names;
    }

    /** The position of the newest {@code attsSince} revision found in {@code revisions}; -1 if none. */
    static long newestKnownAncestor(JsonNode revisions, List<String> attsSince) {
        if (revisions == null || attsSince.isEmpty()) {
            return -1;
        }
        long start = revisions.path("start").asLong();
        JsonNode ids = revisions.path("ids");
        long newest = -1;
        for (String rev : attsSince) {
            int dash = rev.indexOf('-');
            if (dash <= 0) {
                continue;
            }
            long pos;
            try {
                pos = Long.parseLong(rev.substring(0, dash));
            } catch (NumberFormatException e) {
                continue; // names nothing the client has; CouchDB ignores it too
            }
            long index = start - pos;
            if (index >= 0 && index < ids.size() && ids.get((int) index).asText().equals(rev.substring(dash + 1))) {
                newest = Math.max(newest, pos);
            }
        }
        return newest;
    }

    /**
     * The {@code Content-Type} of one document's body: {@code multipart/related} when attachments follow,
     * plain JSON otherwise (as {@code couch_doc:len_doc_to_multi_part_stream}).
     */
    static String contentType(List<String> following, String boundary) {
        return following.isEmpty() ? "application/json" : MultipartWriter.contentType("related", boundary);
    }

    /**
     * Writes one document: its JSON alone when nothing follows, else the JSON part and one part per
     * following attachment, read from {@code db} at the document's revision.
     */
    static void writeDocument(OutputStream out, Database db, ObjectNode doc, List<String> following, String boundary)
            throws IOException {
        if (following.isEmpty()) {
            out.write(Json.bytes(doc));
            return;
        }
        String id = doc.path("_id").asText();
        String rev = doc.path("_rev").asText(null);
        List<AttachmentStream> streams = new ArrayList<>(following.size());
        try {
            for (String name : following) {
                AttachmentStream att = db.getAttachment(id, name, rev);
                streams.add(att);
                if (!att.dataMd5()) {
                    // The data goes unencoded, and CouchDB refuses streamed data whose declared digest is not its MD5
                    // (a compressible attachment's digest is of the gzip stream CouchDB stores); given no digest, it
                    // digests what it stores, arriving at the same one.
                    ((ObjectNode) doc.path("_attachments").path(name)).remove("digest");
                }
            }
            byte[] json = Json.bytes(doc);
            MultipartWriter writer = new MultipartWriter(out, boundary);
            writer.part(Map.of("Content-Type", "application/json"), o -> o.write(json));
            for (int i = 0; i < following.size(); i++) {
                AttachmentStream att = streams.get(i);
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Disposition", "attachment; filename=\"" + quoted(following.get(i)) + "\"");
                headers.put("Content-Type", att.contentType());
                headers.put("Content-Length", Long.toString(att.length()));
                writer.part(headers, o -> att.data().transferTo(o));
            }
            writer.finish();
        } finally {
            for (AttachmentStream att : streams) {
                att.close();
            }
        }
    }

    /**
     * Writes an {@code open_revs} answer as {@code multipart/mixed} with {@code outerBoundary}: each found
     * revision a part (its attachments following, minus those older than {@code attsSince}), each missing
     * one a {@code {"missing": rev}} part marked {@code error="true"}.
     *
     * @param keepRevisions whether the client asked for {@code _revisions} (they are read regardless, for atts_since)
     */
    static void writeOpenRevs(OutputStream out, Database db, List<OpenRev> revs, List<String> attsSince,
                              boolean keepRevisions, String outerBoundary) throws IOException {
        MultipartWriter outer = new MultipartWriter(out, outerBoundary);
        String innerBoundary = MultipartWriter.newBoundary();
        for (OpenRev openRev : revs) {
            switch (openRev) {
                case OpenRev.Found(ObjectNode doc) -> {
                    List<String> following = markFollowing(doc, attsSince);
                    if (!keepRevisions) {
                        doc.remove("_revisions");
                    }
                    outer.part(Map.of("Content-Type", contentType(following, innerBoundary)),
                            o -> writeDocument(o, db, doc, following, innerBoundary));
                }
                case OpenRev.Missing(String rev) -> {
                    ObjectNode missing = Json.object().put("missing", rev);
                    outer.part(Map.of("Content-Type", "application/json; error=\"true\""), o -> o.write(Json.bytes(missing)));
                }
            }
        }
        outer.finish();
    }

    /** A file name inside a quoted header parameter. */
    private static String quoted(String name) {
        return name.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
