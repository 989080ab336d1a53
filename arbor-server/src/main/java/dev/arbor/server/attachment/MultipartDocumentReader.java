package dev.arbor.server.attachment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A document arriving as {@code multipart/related} (CouchDB's {@code couch_doc:doc_from_multi_part_stream}):
 * the JSON part first, then one part per attachment marked {@code "follows": true}, matched by order
 * (as CouchDB does; part headers such as {@code Content-Disposition} are not used to match).
 *
 * <p>The attachment streams are lazy: each opens its part when first read, so the engine must read them
 * in the order of {@link #following()}, which is the order of {@code _attachments}. Close the reader after
 * the write, to skip whatever the engine did not read.
 */
final class MultipartDocumentReader implements AutoCloseable {
    private final MultipartReader reader;
    private final ObjectNode doc;
    private final Map<String, InputStream> following;

    private MultipartDocumentReader(MultipartReader reader, ObjectNode doc, Map<String, InputStream> following) {
        this.reader = reader;
        this.doc = doc;
        this.following = following;
    }

    /**
     * Reads the JSON part (at most {@code maxJsonBytes}) and prepares the attachment streams.
     *
     * @param contentType the request's {@code multipart/related; boundary=...}
     */
    static MultipartDocumentReader open(InputStream body, String contentType, int maxJsonBytes) {
        MultipartReader reader;
        ObjectNode doc;
        try {
            reader = new MultipartReader(body, contentType);
            MultipartReader.Part first = reader.nextPart();
            if (first == null) {
                throw new ArborException.BadRequest("bad_request", "The multipart body has no JSON part.");
            }
            byte[] json = first.content().readNBytes(maxJsonBytes + 1);
            if (json.length > maxJsonBytes) {
                throw new ArborException.TooLarge("Document exceeds the maximum document size");
            }
            if (!(Json.parse(json) instanceof ObjectNode object)) {
                throw new ArborException.BadRequest("bad_request", "Document must be a JSON object");
            }
            doc = object;
        } catch (IOException e) {
            throw new ArborException.BadRequest("bad_request", "Malformed multipart body: " + e.getMessage(), e);
        }
        MultipartDocumentReader result = new MultipartDocumentReader(reader, doc, new LinkedHashMap<>());
        result.prepareFollowing();
        return result;
    }

    ObjectNode doc() {
        return doc;
    }

    /** Attachment name to data, in the order of {@code _attachments}; each stream may be read once. */
    Map<String, InputStream> following() {
        return Collections.unmodifiableMap(following);
    }

    private void prepareFollowing() {
        if (!(doc.get("_attachments") instanceof ObjectNode atts)) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = atts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue() instanceof ObjectNode att && att.path("follows").asBoolean(false)) {
                boolean gzipped = "gzip".equals(att.path("encoding").asText(null));
                if (gzipped) {
                    // CouchDB sends compressible attachments gzip-encoded to a peer that can store them so.
                    // Arbor stores identity data only: decode, and let the engine digest what it stores.
                    att.remove("encoding");
                    att.remove("encoded_length");
                    att.remove("digest");
                }
                following.put(entry.getKey(), new FollowingPart(entry.getKey(), gzipped));
            }
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // The write is done (or failed for its own reason); an unreadable tail changes nothing.
        }
    }

    /** The data of one attachment: the next part of the body, opened on first read. */
    private final class FollowingPart extends InputStream {
        private final String name;
        private final boolean gzipped;
        private InputStream data;

        FollowingPart(String name, boolean gzipped) {
            this.name = name;
            this.gzipped = gzipped;
        }

        private InputStream data() throws IOException {
            if (data == null) {
                MultipartReader.Part part = reader.nextPart();
                if (part == null) {
                    throw new IOException("no part came with attachment " + name);
                }
                boolean encoded = gzipped || "gzip".equalsIgnoreCase(part.header("content-encoding"));
                data = encoded ? new GZIPInputStream(part.content(), 8192) : part.content();
            }
            return data;
        }

        @Override
        public int read() throws IOException {
            return data().read();
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            return data().read(buffer, off, len);
        }
    }
}
