package dev.arbor.client.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.OpenRev;
import dev.arbor.client.http.MultipartReader;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A {@code multipart/mixed} answer to {@code GET /db/id?open_revs=...}, as CouchDB sends it: one part per
 * revision, either JSON ({@code {"missing": rev}} for a revision the server lacks, or a document without
 * attachment data) or a {@code multipart/related} of the document (its new attachments marked
 * {@code "follows": true}) followed by each of those attachments' bytes, in the document's order. The
 * revisions come back with the bytes inlined as base64 {@code data}, the form the JSON answer has.
 */
public final class OpenRevsMultipart {
    private OpenRevsMultipart() {}

    /**
     * The revisions of the answer, in its order. A malformed answer (no boundary, a body cut short, fewer
     * attachment parts than the document announces) is {@code internal}: the replicator takes it, like a
     * dropped connection, for a transient fault and retries.
     */
    public static List<OpenRev> read(byte[] body, String boundary) {
        if (boundary == null) {
            throw new ArborException.Internal("a multipart/mixed open_revs answer without a boundary", null);
        }
        try {
            return readParts(body, boundary);
        } catch (IllegalArgumentException e) {
            throw new ArborException.Internal("a malformed multipart/mixed open_revs answer: " + e.getMessage(), e);
        }
    }

    private static List<OpenRev> readParts(byte[] body, String boundary) {
        List<OpenRev> revs = new ArrayList<>();
        for (MultipartReader.Part part : MultipartReader.parts(body, boundary)) {
            String type = part.contentType();
            if (MultipartReader.isType(type, "multipart/related")) {
                revs.add(new OpenRev.Found(withAttachments(part.body(), MultipartReader.boundary(type))));
            } else {
                JsonNode json = Json.parse(part.body());
                revs.add(json.has("missing") ? new OpenRev.Missing(json.get("missing").asText())
                        : new OpenRev.Found((ObjectNode) json));
            }
        }
        return List.copyOf(revs);
    }

    private static ObjectNode withAttachments(byte[] related, String boundary) {
        List<MultipartReader.Part> parts = MultipartReader.parts(related, boundary);
        ObjectNode doc = (ObjectNode) Json.parse(parts.getFirst().body());
        JsonNode attachments = doc.get("_attachments");
        int next = 1;
        if (attachments != null) {
            Iterator<Map.Entry<String, JsonNode>> entries = attachments.fields();
            while (entries.hasNext()) {
                if (entries.next().getValue() instanceof ObjectNode stub && stub.path("follows").asBoolean(false)) {
                    if (next >= parts.size()) {
                        throw new ArborException.Internal("an open_revs part names more attachments than it carries", null);
                    }
                    stub.remove("follows");
                    MultipartReader.Part part = parts.get(next++);
                    byte[] bytes = part.body();
                    if (isGzip(stub, part)) {
                        // CouchDB's digest of a gzip-stored attachment is the MD5 of the gzip stream: checked on
                        // it here, then kept with the decoded bytes, as a replicated revision keeps its digest.
                        checkEncodedDigest(stub, bytes);
                        bytes = gunzip(bytes);
                        stub.remove(List.of("encoding", "encoded_length"));
                        stub.put("length", bytes.length);
                    }
                    stub.put("data", Base64.getEncoder().encodeToString(bytes));
                }
            }
        }
        return doc;
    }

    private static void checkEncodedDigest(ObjectNode stub, byte[] encoded) {
        String declared = stub.path("digest").asText("");
        if (!declared.startsWith("md5-")) {
            return;
        }
        try {
            byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest(encoded);
            if (!declared.equals("md5-" + Base64.getEncoder().encodeToString(md5))) {
                throw new ArborException.BadRequest("content_md5_mismatch",
                        "Possible message corruption: an attachment in an open_revs answer does not match its digest.");
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    private static boolean isGzip(ObjectNode stub, MultipartReader.Part part) {
        return "gzip".equalsIgnoreCase(stub.path("encoding").asText(""))
                || "gzip".equalsIgnoreCase(part.headers().getOrDefault("content-encoding", ""));
    }

    private static byte[] gunzip(byte[] encoded) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(encoded))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ArborException.Internal("a gzip-encoded attachment in an open_revs answer does not decode: " + e.getMessage(), e);
        }
    }
}
