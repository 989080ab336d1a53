package dev.arbor.engine.store;


import dev.arbor.core.error.ArborException;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attachment data, content-addressed: the data of one digest is stored once as numbered chunks under
 * an attachment id, and {@link AttachmentSpaces#INDEX} maps the digest to that id. Large data is written and read
 * chunk by chunk, never held whole.
 *
 * <p>Threads: {@link #writeStream} runs on the caller's thread (its chunks are invisible until the
 * writer registers the digest); {@link #register} runs in the writer (the thread holding the commit lock); reads on any thread.
 */
public final class AttachmentStore {
    /**
     * Data written and digested, ready to be referenced from a revision.
     *
     * @param digest     the MD5 of the data: its key in this store
     * @param gzipDigest CouchDB's digest of it when it was written as a compressible type
     *                   ({@link CouchDbGzipDigest}), else null
     */
    public record Written(long attachmentId, String digest, long length, int chunks, String gzipDigest) {
        /** The digest a new revision reports for this data: CouchDB's, which its revision id hashes. */
        public String reported() {
            return gzipDigest != null ? gzipDigest : digest;
        }
    }

    private final KvStore store;
    private final AtomicLong nextId;

    public AttachmentStore(KvStore store) {
        this.store = store;
        long last = 0;
        try (KvCursor cursor = store.scan(AttachmentSpaces.DATA, null, null, true)) {
            if (cursor.next()) {
                last = DatabaseKeys.attachmentIdOfChunk(cursor.key());
            }
        }
        // Ids of uploads that never committed may be reused: their stale chunks are overwritten or swept.
        nextId = new AtomicLong(last + 1);
    }

    static String digestOf(MessageDigest md5) {
        return "md5-" + Base64.getEncoder().encodeToString(md5.digest());
    }

    private static final MessageDigest MD5_PROTOTYPE;

    static {
        try {
            MD5_PROTOTYPE = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    /** A fresh MD5, cloned: {@code getInstance} looks up providers on every call. */
    static MessageDigest md5() {
        try {
            return (MessageDigest) MD5_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's MD5 is cloneable", e);
        }
    }

    /** Stages small in-memory data in the writer's context. Reuses existing data with the same digest. */
    public String stage(StagedWrites ctx, byte[] data) {
        MessageDigest md5 = md5();
        md5.update(data);
        String digest = digestOf(md5);
        if (ctx.get(AttachmentSpaces.INDEX, DatabaseKeys.digest(digest)) == null) {
            long id = nextId.getAndIncrement();
            int chunks = 0;
            for (int off = 0; off < data.length || chunks == 0; off += DatabaseKeys.CHUNK_SIZE) {
                int n = Math.min(DatabaseKeys.CHUNK_SIZE, data.length - off);
                byte[] chunk = new byte[n];
                System.arraycopy(data, off, chunk, 0, n);
                ctx.put(AttachmentSpaces.DATA, DatabaseKeys.chunk(id, chunks++), chunk);
            }
            ctx.put(AttachmentSpaces.INDEX, DatabaseKeys.digest(digest), indexValue(id, data.length));
        }
        return digest;
    }

    /**
     * Streams data into fresh chunks (committed without sync: the revision's durable commit that
     * references them syncs the WAL, which holds them too). Not yet referenced by any digest.
     *
     * @param compressible also compute CouchDB's gzip-stream digest as the data streams by
     */
    public Written writeStream(InputStream data, boolean compressible) {
        long id = nextId.getAndIncrement();
        MessageDigest md5 = md5();
        CouchDbGzipDigest gzip = compressible ? new CouchDbGzipDigest() : null;
        long length = 0;
        int chunks = 0;
        byte[] buffer = new byte[DatabaseKeys.CHUNK_SIZE];
        try {
            while (true) {
                int n = data.readNBytes(buffer, 0, buffer.length);
                if (n == 0 && chunks > 0) {
                    break;
                }
                md5.update(buffer, 0, n);
                if (gzip != null) {
                    gzip.update(buffer, 0, n);
                }
                length += n;
                byte[] chunk = java.util.Arrays.copyOf(buffer, n);
                try (KvBatch batch = store.newBatch()) {
                    batch.put(AttachmentSpaces.DATA, DatabaseKeys.chunk(id, chunks++), chunk);
                    store.commit(batch, false);
                }
                if (n < buffer.length) {
                    break;
                }
            }
            return new Written(id, digestOf(md5), length, chunks, gzip == null ? null : gzip.digest());
        } catch (IOException e) {
            deleteChunksOutsideWriter(id, chunks);
            throw new ArborException.BadRequest("bad_request", "attachment upload failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // e.g. the stream refusing an attachment over max_attachment_size: drop what was stored of it
            deleteChunksOutsideWriter(id, chunks);
            throw e;
        } finally {
            if (gzip != null) {
                gzip.close();
            }
        }
    }

    /**
     * On the writer: makes streamed data referencable by its digest, or, when that digest is already
     * stored, drops the new copy.
     */
    public void register(StagedWrites ctx, Written written) {
        if (ctx.get(AttachmentSpaces.INDEX, DatabaseKeys.digest(written.digest())) != null) {
            deleteChunks(ctx, written.attachmentId(), written.chunks());
        } else {
            ctx.put(AttachmentSpaces.INDEX, DatabaseKeys.digest(written.digest()), indexValue(written.attachmentId(), written.length()));
        }
    }

    /** For an upload whose revision was refused: its chunks go. */
    public void discard(Written written) {
        deleteChunksOutsideWriter(written.attachmentId(), written.chunks());
    }

    private void deleteChunksOutsideWriter(long id, int chunks) {
        try (KvBatch batch = store.newBatch()) {
            for (int i = 0; i < chunks; i++) {
                batch.delete(AttachmentSpaces.DATA, DatabaseKeys.chunk(id, i));
            }
            store.commit(batch, false);
        }
    }

    static void deleteChunks(StagedWrites ctx, long id, int chunks) {
        for (int i = 0; i < chunks; i++) {
            ctx.delete(AttachmentSpaces.DATA, DatabaseKeys.chunk(id, i));
        }
    }

    /** On the writer (compaction): removes a digest and its data. */
    public void remove(StagedWrites ctx, String digest) {
        byte[] index = ctx.get(AttachmentSpaces.INDEX, DatabaseKeys.digest(digest));
        if (index == null) {
            return;
        }
        ByteReader in = new ByteReader(index);
        long id = in.readVarLong();
        long length = in.readVarLong();
        deleteChunks(ctx, id, chunkCount(length));
        ctx.delete(AttachmentSpaces.INDEX, DatabaseKeys.digest(digest));
    }

    static int chunkCount(long length) {
        return (int) Math.max(1, (length + DatabaseKeys.CHUNK_SIZE - 1) / DatabaseKeys.CHUNK_SIZE);
    }

    private static byte[] indexValue(long id, long length) {
        return new ByteWriter(16).writeVarLong(id).writeVarLong(length).toByteArray();
    }

    /** Reads the data of a digest from {@code reader}; the whole of it (for inline base64 output). */
    static byte[] readAll(KvReader reader, String digest) {
        try (InputStream in = open(reader, digest, null)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stream over the data of a digest, chunk by chunk. {@code owned}, when not null, is a snapshot the
     * stream closes when it is closed, so the data stays readable for as long as the reader needs it.
     */
    public static InputStream open(KvReader reader, String digest, KvSnapshot owned) {
        byte[] index = reader.get(AttachmentSpaces.INDEX, DatabaseKeys.digest(digest));
        if (index == null) {
            if (owned != null) {
                owned.close();
            }
            throw new ArborException.NotFound("Document is missing attachment");
        }
        ByteReader in = new ByteReader(index);
        long id = in.readVarLong();
        long length = in.readVarLong();
        int chunks = chunkCount(length);
        return new InputStream() {
            private int nextChunk;
            private byte[] current = new byte[0];
            private int pos;
            private boolean closed;

            private boolean fill() {
                while (pos >= current.length) {
                    if (nextChunk >= chunks) {
                        return false;
                    }
                    byte[] chunk = reader.get(AttachmentSpaces.DATA, DatabaseKeys.chunk(id, nextChunk++));
                    if (chunk == null) {
                        throw new ArborException.Internal("attachment data missing for " + digest, null);
                    }
                    current = chunk;
                    pos = 0;
                }
                return true;
            }

            @Override
            public int read() {
                return fill() ? current[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }

            /**
             * Jumps whole chunks without reading them (every chunk but the last holds exactly
             * {@link DatabaseKeys#CHUNK_SIZE} bytes), so a Range request near the end of a large attachment
             * costs one chunk read, not a read of everything before it.
             */
            @Override
            public long skip(long n) {
                if (n <= 0) {
                    return 0;
                }
                long position = (long) Math.max(0, nextChunk - 1) * DatabaseKeys.CHUNK_SIZE + pos;
                if (nextChunk == 0) {
                    position = 0;
                }
                long target = Math.min(length, position + n);
                int chunk = (int) (target / DatabaseKeys.CHUNK_SIZE);
                int offset = (int) (target % DatabaseKeys.CHUNK_SIZE);
                if (chunk >= chunks) {
                    nextChunk = chunks;
                    current = new byte[0];
                    pos = 0;
                } else {
                    byte[] data = reader.get(AttachmentSpaces.DATA, DatabaseKeys.chunk(id, chunk));
                    if (data == null) {
                        throw new ArborException.Internal("attachment data missing for " + digest, null);
                    }
                    current = data;
                    pos = offset;
                    nextChunk = chunk + 1;
                }
                return target - position;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    if (owned != null) {
                        owned.close();
                    }
                }
            }
        };
    }
}
