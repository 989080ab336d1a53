package dev.arbor.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An attachment being read: its metadata and its bytes as a stream, read from storage chunk by
 * chunk (never held whole in memory). The caller closes it.
 *
 * @param digest CouchDB's {@code md5-<base64>} digest of the data
 */
public record AttachmentStream(String name, String contentType, long length, String digest, long revpos,
                               InputStream data) implements AutoCloseable {
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
