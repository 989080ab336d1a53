package dev.arbor.engine.write;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.options.WriteLimits;
import dev.arbor.core.doc.DocumentParser;
import dev.arbor.core.doc.ParsedDoc;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Enforces {@link WriteLimits} (CouchDB's {@code [couchdb] max_document_size} and {@code max_attachment_size}) on
 * every write path of the engine, so the Java API and HTTP refuse the same documents with the same errors. The limits
 * themselves are a plain value in the exported {@code dev.arbor} package; this check reads {@link ParsedDoc}, a type
 * of arbor-core's engine-only packages, so it stays here rather than on that value.
 *
 * <p>As in CouchDB ({@code couch_doc:from_json_obj_validate}), the document size is the encoded JSON of its body
 * without the {@code _}-prefixed members (so attachments, inline or not, do not count), and a document over it fails
 * with 413 {@code document_too_large} whose reason is its id; an attachment over its limit fails with 413
 * {@code attachment_too_large} whose reason is its name. A {@code _bulk_docs} with one oversized document fails as a
 * whole, as CouchDB's does. Immutable; shared by every thread of a database.
 */
public record WriteLimitCheck(WriteLimits limits) {

    /** Refuses a document whose body or inline attachment data is over its limit. {@code id} may be null (a POST). */
    public void check(ParsedDoc doc) {
        if (limits.maxDocumentBytes() != WriteLimits.UNLIMITED && bodySize(doc.source()) > limits.maxDocumentBytes()) {
            throw ArborException.TooLarge.document(doc.id());
        }
        long maxAttachmentBytes = limits.maxAttachmentBytes();
        if (maxAttachmentBytes != WriteLimits.UNLIMITED && doc.attachments() != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.attachments().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> att = it.next();
                JsonNode data = att.getValue().path("data");
                if (data.isTextual() && decodedLength(data.asText()) > maxAttachmentBytes) {
                    throw ArborException.TooLarge.attachment(att.getKey());
                }
                // A stub or a "follows" part may declare its length: refuse before any data is read.
                JsonNode length = att.getValue().path("length");
                if (att.getValue().path("follows").asBoolean(false) && length.canConvertToLong()
                        && length.asLong() > maxAttachmentBytes) {
                    throw ArborException.TooLarge.attachment(att.getKey());
                }
            }
        }
    }

    /**
     * {@code data} read through a counter: the read that takes it past {@link WriteLimits#maxAttachmentBytes} fails with
     * {@code attachment_too_large}, so an attachment streamed from a client is refused before it is all stored.
     */
    public InputStream limit(String name, InputStream data) {
        long maxAttachmentBytes = limits.maxAttachmentBytes();
        if (maxAttachmentBytes == WriteLimits.UNLIMITED) {
            return data;
        }
        return new FilterInputStream(data) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > maxAttachmentBytes) {
                    throw ArborException.TooLarge.attachment(name);
                }
            }
        };
    }

    /** The bytes of the body as stored, counted without keeping them. */
    private static long bodySize(JsonNode source) {
        CountingSink sink = new CountingSink();
        try (var gen = Json.MAPPER.getFactory().createGenerator(sink)) {
            gen.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!DocumentParser.isSpecial(field.getKey())) {
                    gen.writeFieldName(field.getKey());
                    Json.write(field.getValue(), gen);
                }
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink.count;
    }

    /** Bytes a base64 text decodes to (an upper bound when it holds line breaks, which the MIME decoder skips). */
    private static long decodedLength(String base64) {
        int length = base64.length();
        int padding = length > 0 && base64.charAt(length - 1) == '=' ? (length > 1 && base64.charAt(length - 2) == '=' ? 2 : 1) : 0;
        return (long) length * 3 / 4 - padding;
    }

    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) { count++; }

        @Override
        public void write(byte[] b, int off, int len) { count += len; }
    }
}
