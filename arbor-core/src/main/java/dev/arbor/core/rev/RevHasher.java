package dev.arbor.core.rev;


import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The id of a new revision, computed as CouchDB 3 computes it ({@code couch_db:new_revid/1}), so the same edit made
 * on Arbor and on CouchDB is one revision, not a conflict:
 * <pre>md5(term_to_binary([Deleted, OldStart, OldRev, Body, Atts], [{minor_version, 1}]))</pre>
 * with {@code Deleted} the atom {@code true} or {@code false}; {@code OldStart} the parent's position (0 for a first
 * revision); {@code OldRev} the parent's id as CouchDB holds it ({@code couch_doc:parse_revid}: 32 hex digits as the
 * 16 bytes they spell, any other id as the binary of its text) or the integer 0 without a parent; {@code Body} the
 * document's members other than the special ones as jiffy decodes them ({@code {[{Key, Value}, ...]}} in document
 * order, arrays as lists, strings as UTF-8 binaries, integers as integers of any size, every other number as a
 * double, {@code true}/{@code false}/{@code null} as atoms); {@code Atts} a {@code {Name, Type, Md5}} tuple per
 * attachment in reverse of the document's attachment order (CouchDB builds it with a fold that prepends).
 *
 * <p>Numbers are hashed as the double nearest their decimal value, which is what jiffy's {@code strtod} gives for every
 * number CouchDB accepts, except two kinds a stored body cannot tell apart from others: a number written with an
 * exponent but no fraction that is 32 characters or longer, or whose value is below the smallest normal double, and
 * {@code -0.0}, which Arbor stores as {@code 0.0}. Those can hash differently from CouchDB's.
 */
public final class RevHasher {
    private static final HexFormat HEX = HexFormat.of();
    /** Buffers above this size are not kept between hashes, so one huge document does not pin its memory. */
    private static final int RETAINED_BUFFER = 64 * 1024;
    private static final ThreadLocal<ErlangTermFormat> BUFFERS = ThreadLocal.withInitial(() -> new ErlangTermFormat(1024));
    private static final MessageDigest PROTOTYPE = newMd5();

    /**
     * An attachment as the revision id covers it.
     *
     * @param md5 the 16 bytes of the MD5 digest CouchDB keeps for the stored data
     */
    public record Attachment(String name, String contentType, byte[] md5) {
        public Attachment {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(md5, "md5");
        }

        /**
         * From a CouchDB digest string: {@code md5-<base64>} gives its 16 bytes; any other digest (none that Arbor
         * writes) is hashed as the bytes of its text, which keeps the id deterministic.
         */
        public static Attachment of(String name, String contentType, String digest) {
            return new Attachment(name, contentType, md5Bytes(digest));
        }
    }

    private RevHasher() {}

    /**
     * The 32 lowercase hex digits of the new revision's id.
     *
     * @param parentOrNull the revision edited, or null for a document's first revision
     * @param bodyJsonBytes the JSON object of the document's members that are not special, as Arbor stores it
     * @param attachmentsInDocOrder the revision's attachments in the order the document holds them
     */
    public static String newRevHash(boolean deleted, Rev parentOrNull, byte[] bodyJsonBytes,
                                    List<Attachment> attachmentsInDocOrder) {
        Objects.requireNonNull(bodyJsonBytes, "bodyJsonBytes");
        ErlangTermFormat out = BUFFERS.get();
        out.reset();
        try {
            write(out, deleted, parentOrNull, bodyJsonBytes, attachmentsInDocOrder);
            MessageDigest md5 = md5();
            md5.update(out.buffer(), 0, out.length());
            return HEX.formatHex(md5.digest());
        } finally {
            if (out.capacity() > RETAINED_BUFFER) {
                BUFFERS.remove();
            }
        }
    }

    /** The bytes {@link #newRevHash} digests: {@code term_to_binary} of the edit (for tests and diagnosis). */
    static byte[] termBytes(boolean deleted, Rev parentOrNull, byte[] bodyJsonBytes, List<Attachment> attachmentsInDocOrder) {
        ErlangTermFormat out = new ErlangTermFormat(256);
        write(out, deleted, parentOrNull, bodyJsonBytes, attachmentsInDocOrder);
        return out.toByteArray();
    }

    private static void write(ErlangTermFormat out, boolean deleted, Rev parent, byte[] body, List<Attachment> atts) {
        out.version();
        out.listHeader(5);
        out.bool(deleted);
        if (parent == null) {
            out.integer(0);
            out.integer(0);
        } else {
            out.integer(parent.pos());
            out.binary(revIdBytes(parent.hash()));
        }
        writeBody(out, body);
        out.listHeader(atts.size());
        for (int i = atts.size() - 1; i >= 0; i--) {
            Attachment att = atts.get(i);
            out.tuple(3);
            out.binary(att.name().getBytes(StandardCharsets.UTF_8));
            out.binary(att.contentType().getBytes(StandardCharsets.UTF_8));
            out.binary(att.md5());
        }
        if (!atts.isEmpty()) {
            out.nil();
        }
        out.nil(); // the tail of [Deleted, OldStart, OldRev, Body, Atts]
    }

    /**
     * A revision id as {@code couch_doc:parse_revid} holds it: 32 characters are read as a base-16 integer
     * ({@code list_to_integer/2}, which takes either case and a leading sign) stored in 128 bits; other ids, and 32
     * characters that are no such number, are the binary of their text.
     */
    static byte[] revIdBytes(String id) {
        if (id.length() == 32) {
            if (isHex(id)) {
                return HEX.parseHex(id.toLowerCase(java.util.Locale.ROOT));
            }
            char sign = id.charAt(0);
            if ((sign == '-' || sign == '+') && isHex(id.substring(1))) {
                return to128Bits(new BigInteger(id, 16));
            }
        }
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }

    /** {@code <<Int:128>>}: the low 128 bits, two's complement. */
    private static byte[] to128Bits(BigInteger value) {
        byte[] full = value.toByteArray();
        byte[] out = new byte[16];
        byte fill = (byte) (value.signum() < 0 ? 0xFF : 0);
        for (int i = 0; i < 16; i++) {
            int from = full.length - 16 + i;
            out[i] = from >= 0 ? full[from] : fill;
        }
        return out;
    }

    /** The body as jiffy decodes it, streamed from its JSON bytes. */
    private static void writeBody(ErlangTermFormat out, byte[] body) {
        int first = 0;
        while (first < body.length && body[first] <= ' ') {
            first++;
        }
        if (first == body.length || body[first] != '{') {
            throw new IllegalArgumentException("a document body must be a JSON object");
        }
        EjsonWriter.write(body, out);
    }

    static byte[] md5Bytes(String digest) {
        if (digest.startsWith("md5-")) {
            try {
                byte[] bytes = Base64.getDecoder().decode(digest.substring(4));
                if (bytes.length == 16) {
                    return bytes;
                }
            } catch (IllegalArgumentException e) {
                // not base64: hashed as text below
            }
        }
        return digest.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh MD5 per hash, cloned from a prototype: {@code getInstance} looks up providers on every call. */
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
