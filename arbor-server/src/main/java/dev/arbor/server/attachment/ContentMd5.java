package dev.arbor.server.attachment;

import dev.arbor.core.error.ArborException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code Content-MD5} header of an attachment upload: the body is digested as it streams past and
 * compared with the header when it ends, so a corrupt upload fails before its revision commits.
 */
final class ContentMd5 {
    private ContentMd5() {}

    /** Thrown at the end of the body; an IOException so the engine discards the chunks it has written. */
    static final class MismatchException extends IOException {
        MismatchException() {
            super("Content-MD5 does not match the data");
        }
    }

    /** CouchDB's error for it (chttpd: {@code content_md5_mismatch}). */
    static ArborException.BadRequest mismatch() {
        return new ArborException.BadRequest("content_md5_mismatch", "Possible message corruption.");
    }

    /** The base64 MD5 of a CouchDB digest ({@code md5-<base64>}), for {@code Content-MD5} and {@code ETag}; null for other digests. */
    static String base64Of(String digest) {
        return digest != null && digest.startsWith("md5-") ? digest.substring(4) : null;
    }

    /** {@code data} checked against {@code header} (base64 MD5) at its end; {@code data} itself when no header came. */
    static InputStream verifying(InputStream data, String header) {
        if (header == null || header.isBlank()) {
            return data;
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(header.strip());
        } catch (IllegalArgumentException e) {
            throw new ArborException.BadRequest("bad_request", "Content-MD5 is not base64");
        }
        return new Verifying(data, expected);
    }

    private static final class Verifying extends FilterInputStream {
        private final MessageDigest md5;
        private final byte[] expected;
        private boolean checked;

        Verifying(InputStream in, byte[] expected) {
            super(in);
            this.expected = expected;
            try {
                this.md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK always has MD5", e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                check();
            } else {
                md5.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = in.read(buffer, off, len);
            if (n < 0) {
                check();
            } else {
                md5.update(buffer, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes must still be digested.
            byte[] sink = new byte[(int) Math.min(n, 8192)];
            int read = read(sink, 0, sink.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void check() throws MismatchException {
            if (!checked) {
                checked = true;
                if (!MessageDigest.isEqual(md5.digest(), expected)) {
                    throw new MismatchException();
                }
            }
        }
    }
}
