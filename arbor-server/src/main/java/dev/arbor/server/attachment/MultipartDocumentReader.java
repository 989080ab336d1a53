package dev.arbor.server.attachment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
    private final StreamingMultipartReader reader;
    private final ObjectNode doc;
    private final Map<String, InputStream> following;

    private MultipartDocumentReader(StreamingMultipartReader reader, ObjectNode doc, Map<String, InputStream> following) {
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
        return open(body, contentType, maxJsonBytes, false);
    }

    /**
     * @param replicated a {@code new_edits=false} write: a gzip-encoded attachment keeps the digest its peer sent
     *                   (CouchDB's, of the gzip stream), checked here against the encoded bytes as they stream past
     */
    static MultipartDocumentReader open(InputStream body, String contentType, int maxJsonBytes, boolean replicated) {
        StreamingMultipartReader reader;
        ObjectNode doc;
        try {
            reader = new StreamingMultipartReader(body, contentType);
            StreamingMultipartReader.Part first = reader.nextPart();
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
        result.prepareFollowing(replicated);
        return result;
    }

    ObjectNode doc() {
        return doc;
    }

    /** Attachment name to data, in the order of {@code _attachments}; each stream may be read once. */
    Map<String, InputStream> following() {
        return Collections.unmodifiableMap(following);
    }

    private void prepareFollowing(boolean replicated) {
        if (!(doc.get("_attachments") instanceof ObjectNode atts)) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = atts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue() instanceof ObjectNode att && att.path("follows").asBoolean(false)) {
                boolean gzipped = "gzip".equals(att.path("encoding").asText(null));
                String encodedDigest = null;
                if (gzipped) {
                    // CouchDB sends compressible attachments gzip-encoded to a peer that can store them so, with
                    // the digest of the gzip stream. Arbor stores identity data: decode; a replicated revision keeps
                    // the peer's digest (the engine keys the data by its own MD5), checked on the encoded bytes.
                    att.remove("encoding");
                    att.remove("encoded_length");
                    String declared = att.path("digest").asText("");
                    if (declared.startsWith("md5-")) {
                        encodedDigest = declared;
                    }
                    if (!replicated) {
                        att.remove("digest");
                    }
                }
                following.put(entry.getKey(), new FollowingPart(entry.getKey(), gzipped, encodedDigest));
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

    private static java.security.MessageDigest md5() {
        try {
            return java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    /** The data of one attachment: the next part of the body, opened on first read. */
    private final class FollowingPart extends InputStream {
        private final String name;
        private final boolean gzipped;
        /** The digest the peer sent for the encoded bytes, or null when there is none to check. */
        private final String encodedDigest;
        private InputStream data;
        private java.security.DigestInputStream raw;

        FollowingPart(String name, boolean gzipped, String encodedDigest) {
            this.name = name;
            this.gzipped = gzipped;
            this.encodedDigest = encodedDigest;
        }

        private InputStream data() throws IOException {
            if (data == null) {
                StreamingMultipartReader.Part part = reader.nextPart();
                if (part == null) {
                    throw new IOException("no part came with attachment " + name);
                }
                boolean encoded = gzipped || "gzip".equalsIgnoreCase(part.header("content-encoding"));
                InputStream content = part.content();
                if (encoded && encodedDigest != null) {
                    raw = new java.security.DigestInputStream(content, md5());
                    content = raw;
                }
                data = encoded ? new GZIPInputStream(content, 8192) : content;
            }
            return data;
        }

        @Override
        public int read() throws IOException {
            int b = data().read();
            if (b < 0) {
                checkEncodedDigest();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = data().read(buffer, off, len);
            if (n < 0) {
                checkEncodedDigest();
            }
            return n;
        }

        /** At the end of the decoded data: the whole encoded part (to its end) must have the digest sent. */
        private void checkEncodedDigest() throws IOException {
            if (raw == null) {
                return;
            }
            raw.transferTo(OutputStream.nullOutputStream());
            String got = "md5-" + java.util.Base64.getEncoder().encodeToString(raw.getMessageDigest().digest());
            raw = null;
            if (!got.equals(encodedDigest)) {
                throw new ArborException.BadRequest("content_md5_mismatch",
                        "Possible message corruption: the digest of " + name + " does not match its data.");
            }
        }
    }
}
