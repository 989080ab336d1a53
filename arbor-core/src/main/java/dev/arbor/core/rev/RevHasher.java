package dev.arbor.core.rev;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Deterministic hashes for new revisions: the same edit on the same parent gives the same revision,
 * so a client retrying a write, or two nodes applying the same edit, agree on its id. This is
 * CouchDB's {@code couch_doc:new_revid} idea (an MD5 over deleted flag, parent and content), not its
 * exact bytes: CouchDB hashes Erlang's external term format of its in-memory body, which no other
 * implementation reproduces, so ids are never expected to match CouchDB's for the same edit.
 */
public final class RevHasher {
    private static final HexFormat HEX = HexFormat.of();

    private RevHasher() {}

    /**
     * The 32 lowercase hex chars of an MD5 over the edit. Callers must serialise the body the same way
     * every time (the document's JSON without its {@code _}-prefixed fields) for the result to be
     * deterministic. Each input is length-prefixed so no two different edits feed the same bytes.
     *
     * @param parentOrNull the revision edited, or null for a document's first revision
     * @param attachmentDigestsSortedByName the attachments' digests (e.g. {@code md5-...}), in name order
     */
    public static String newRevHash(boolean deleted, Rev parentOrNull, byte[] bodyJsonBytes,
                                    List<String> attachmentDigestsSortedByName) {
        Objects.requireNonNull(bodyJsonBytes, "bodyJsonBytes");
        MessageDigest md5 = md5();
        md5.update((byte) (deleted ? 1 : 0));
        if (parentOrNull == null) {
            updateLong(md5, 0);
        } else {
            updateLong(md5, parentOrNull.pos());
            updateBytes(md5, parentOrNull.hash().getBytes(StandardCharsets.UTF_8));
        }
        updateBytes(md5, bodyJsonBytes);
        updateLong(md5, attachmentDigestsSortedByName.size());
        for (String digest : attachmentDigestsSortedByName) {
            updateBytes(md5, digest.getBytes(StandardCharsets.UTF_8));
        }
        return HEX.formatHex(md5.digest());
    }

    private static void updateBytes(MessageDigest md5, byte[] bytes) {
        updateLong(md5, bytes.length);
        md5.update(bytes);
    }

    private static void updateLong(MessageDigest md5, long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (56 - 8 * i));
        }
        md5.update(bytes);
    }

    /** A fresh MD5 per hash, cloned from a prototype: {@code getInstance} looks up providers on every call. */
    private static final MessageDigest PROTOTYPE = newMd5();

    private static MessageDigest md5() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newMd5();
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }

}
