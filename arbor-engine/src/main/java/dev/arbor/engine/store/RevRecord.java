package dev.arbor.engine.store;

import java.util.ArrayList;
import java.util.List;

/**
 * What Arbor stores for one revision: its deleted flag, its attachments, and its body as the JSON bytes
 * of the members that are not CouchDB specials ({@code _id}, {@code _rev} and the rest are added on
 * the way out), so a read sends stored bytes without re-encoding them.
 */
public record RevRecord(boolean deleted, List<AttachmentRef> attachments, byte[] body) {
    private static final int DELETED = 1;
    /**
     * Some attachment reports a digest other than its data key (a peer's, see {@link AttachmentRef}): each
     * attachment then carries its data key after its other fields. Records without it read as before.
     */
    private static final int DATA_KEYS = 2;

    public RevRecord {
        attachments = List.copyOf(attachments);
    }

    public AttachmentRef attachment(String name) {
        for (AttachmentRef ref : attachments) {
            if (ref.name().equals(name)) {
                return ref;
            }
        }
        return null;
    }

    void writeTo(ByteWriter out) {
        boolean dataKeys = attachments.stream().anyMatch(ref -> !ref.digestIsDataKey());
        out.writeByte((deleted ? DELETED : 0) | (dataKeys ? DATA_KEYS : 0));
        out.writeVarLong(attachments.size());
        for (AttachmentRef ref : attachments) {
            out.writeString(ref.name()).writeString(ref.contentType()).writeString(ref.digest())
                    .writeVarLong(ref.length()).writeVarLong(ref.revpos());
            if (dataKeys) {
                out.writeString(ref.dataKey());
            }
        }
        out.writeBytes(body);
    }

    public byte[] encode() {
        ByteWriter out = new ByteWriter(body.length + 8);
        writeTo(out);
        return out.toByteArray();
    }

    /** Whether a record's first byte (its flags) marks it deleted. */
    static boolean deletedFlag(int flags) {
        return (flags & DELETED) != 0;
    }

    static RevRecord readFrom(ByteReader in) {
        int flags = in.readByte();
        boolean deleted = deletedFlag(flags);
        boolean dataKeys = (flags & DATA_KEYS) != 0;
        int n = (int) in.readVarLong();
        List<AttachmentRef> atts = n == 0 ? List.of() : new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = in.readString();
            String contentType = in.readString();
            String digest = in.readString();
            long length = in.readVarLong();
            long revpos = in.readVarLong();
            atts.add(new AttachmentRef(name, contentType, digest, length, revpos, dataKeys ? in.readString() : digest));
        }
        return new RevRecord(deleted, atts, in.readRemaining());
    }

    public static RevRecord decode(byte[] bytes) {
        return readFrom(new ByteReader(bytes));
    }
}
