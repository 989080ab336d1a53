package dev.arbor.engine.store;

import dev.arbor.core.rev.Rev;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layouts of the spaces. Document ids are raw UTF-8, whose byte order is Unicode code point order:
 * the raw collation CouchDB uses for {@code _all_docs}. Numbers are big-endian so byte order is numeric order.
 */
public final class DatabaseKeys {
    public static final byte[] META_STATE = "state".getBytes(StandardCharsets.UTF_8);
    public static final byte[] META_SECURITY = "security".getBytes(StandardCharsets.UTF_8);
    static final byte[] META_PROPS = "props".getBytes(StandardCharsets.UTF_8);
    static final int CHUNK_SIZE = 64 * 1024;

    private DatabaseKeys() {}

    public static byte[] docId(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    public static String docId(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** The smallest key greater than every key starting with {@code prefix}... for a raw id: the id followed by 0x00. */
    public static byte[] after(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** All revision keys of one document share this prefix: length-prefixed id, so ids never run into each other. */
    public static byte[] revPrefix(String id) {
        byte[] idBytes = docId(id);
        return new ByteWriter(idBytes.length + 4).writeBlock(idBytes).toByteArray();
    }

    public static byte[] rev(String id, Rev rev) {
        byte[] idBytes = docId(id);
        byte[] hash = rev.hash().getBytes(StandardCharsets.UTF_8);
        return new ByteWriter(idBytes.length + hash.length + 12).writeBlock(idBytes).writeLongBigEndian(rev.pos())
                .writeBytes(hash).toByteArray();
    }

    /** The document id of a revision key ({@link #rev}). */
    public static String docIdOfRev(byte[] key) {
        return new String(new ByteReader(key).readBlock(), StandardCharsets.UTF_8);
    }

    public static Rev revOf(byte[] key) {
        ByteReader in = new ByteReader(key);
        in.readBlock();
        long pos = in.readLongBigEndian();
        return new Rev(pos, new String(in.readRemaining(), StandardCharsets.UTF_8));
    }

    public static byte[] seq(long seq) {
        return new ByteWriter(8).writeLongBigEndian(seq).toByteArray();
    }

    public static long seq(byte[] key) {
        return new ByteReader(key).readLongBigEndian();
    }

    static byte[] chunk(long attachmentId, int index) {
        return new ByteWriter(12).writeLongBigEndian(attachmentId).writeLongBigEndian(index).toByteArray();
    }

    static long attachmentIdOfChunk(byte[] key) {
        return new ByteReader(key).readLongBigEndian();
    }

    static byte[] digest(String digest) {
        return digest.getBytes(StandardCharsets.UTF_8);
    }
}
