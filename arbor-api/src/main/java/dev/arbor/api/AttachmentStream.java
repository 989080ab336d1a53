package dev.arbor.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An attachment being read: its metadata and its bytes as a stream, read from storage chunk by
 * chunk (never held whole in memory). The caller closes it.
 *
 * @param digest     CouchDB's {@code md5-<base64>} digest, as the document reports it
 * @param dataMd5    whether {@code digest} is known to be the MD5 of {@code data}, so it may be sent as
 *                   {@code Content-MD5}: not for an attachment replicated from CouchDB that reports the digest of its
 *                   gzip-encoded form
 */
public record AttachmentStream(String name, String contentType, long length, String digest, long revpos,
                               InputStream data, boolean dataMd5) implements AutoCloseable {
    /** An attachment whose digest is the MD5 of its data. */
    public AttachmentStream(String name, String contentType, long length, String digest, long revpos, InputStream data) {
        this(name, contentType, length, digest, revpos, data, true);
    }

    public byte[] readAllBytes() {
        try (data) {
            return data.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            data.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
