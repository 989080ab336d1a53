package dev.arbor.server.couchdb;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * How CouchDB 3.5 digests an attachment. One of a compressible type ({@code compressible_types}: {@code text/*},
 * {@code application/javascript}, {@code application/json}, {@code application/xml}) is stored gzipped at
 * {@code compression_level} 8, and its {@code digest} is the MD5 of that gzip stream (zlib's own gzip wrapper: no
 * name, mtime 0, OS 3), not of the bytes; any other is digested over its bytes. The gzip stream is made here as
 * zlib makes it, so a test can tell CouchDB's digest of given bytes.
 */
final class CouchDbDigests {
    private static final byte[] ZLIB_GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

    private CouchDbDigests() {}

    static boolean compressible(String contentType) {
        String type = contentType.split(";")[0].trim().toLowerCase();
        return type.startsWith("text/") || type.equals("application/javascript") || type.equals("application/json")
                || type.equals("application/xml");
    }

    /** {@code md5-...} of the bytes themselves. */
    static String ofBytes(byte[] bytes) {
        return "md5-" + Base64.getEncoder().encodeToString(md5(bytes));
    }

    /** {@code md5-...} of the gzip stream CouchDB stores a compressible attachment as. */
    static String ofGzip(byte[] bytes) {
        Deflater deflater = new Deflater(8, true);
        deflater.setInput(bytes);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        out.writeBytes(ZLIB_GZIP_HEADER);
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(bytes);
        littleEndian(out, crc.getValue());
        littleEndian(out, bytes.length & 0xFFFFFFFFL);
        return ofBytes(out.toByteArray());
    }

    private static void littleEndian(ByteArrayOutputStream out, long value) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
