package dev.arbor.engine.store;

import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The digest CouchDB gives an attachment of a compressible type, computed while its data streams by. CouchDB 3.5
 * stores such an attachment gzip-encoded at {@code [attachments] compression_level} 8 and reports
 * {@code md5-<base64>} of that gzip stream, and that digest goes into the revision id; Arbor stores the plain bytes
 * but reports the same digest so the same edit gets the same revision on both. The stream is made as zlib makes it
 * (the JDK's Deflater is zlib): raw deflate at level 8 framed by zlib's gzip header (no name, mtime 0, OS 3) and a
 * CRC32 + ISIZE trailer. Only its MD5 is kept, never the compressed bytes.
 *
 * <p>One instance per upload; {@link #close} frees the Deflater's native memory (idempotent).
 */
public final class CouchDbGzipDigest implements AutoCloseable {
    /**
     * CouchDB's default {@code [attachments] compressible_types} (etc/default.ini): a {@code *} matches anything,
     * matched case-insensitively against the content type with its parameters ({@code ; charset=...}) ignored.
     */
    static final List<String> COMPRESSIBLE_TYPES = List.of("text/*", "application/javascript", "application/json",
            "application/xml");

    /** CouchDB's default {@code [attachments] compression_level}. */
    static final int COMPRESSION_LEVEL = 8;

    private static final byte[] ZLIB_GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

    private final Deflater deflater = new Deflater(COMPRESSION_LEVEL, true);
    private final MessageDigest md5 = AttachmentStore.md5();
    private final CRC32 crc = new CRC32();
    private final byte[] out = new byte[64 * 1024];
    private long length;
    private boolean closed;

    CouchDbGzipDigest() {
        md5.update(ZLIB_GZIP_HEADER);
    }

    /** Whether CouchDB stores (and digests) data of {@code contentType} gzip-encoded. */
    public static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        for (String pattern : COMPRESSIBLE_TYPES) {
            if (pattern.endsWith("*") ? type.startsWith(pattern.substring(0, pattern.length() - 1)) : type.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** CouchDB's digest of {@code data}, whole. */
    public static String of(byte[] data) {
        try (CouchDbGzipDigest digest = new CouchDbGzipDigest()) {
            digest.update(data, 0, data.length);
            return digest.digest();
        }
    }

    void update(byte[] data, int off, int len) {
        if (len == 0) {
            return;
        }
        crc.update(data, off, len);
        length += len;
        deflater.setInput(data, off, len);
        while (!deflater.needsInput()) {
            drain();
        }
    }

    /** Finishes the stream and returns {@code md5-<base64>} of it; the instance is then closed. */
    String digest() {
        deflater.finish();
        while (!deflater.finished()) {
            drain();
        }
        littleEndian(crc.getValue());
        littleEndian(length & 0xFFFFFFFFL);
        close();
        return AttachmentStore.digestOf(md5);
    }

    private void drain() {
        int n = deflater.deflate(out);
        md5.update(out, 0, n);
    }

    private void littleEndian(long value) {
        for (int i = 0; i < 4; i++) {
            md5.update((byte) (value >>> (8 * i)));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            deflater.end();
        }
    }
}
