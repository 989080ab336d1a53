package dev.arbor.engine.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.GetOptions;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;

import java.util.ArrayList;
import java.util.List;

/**
 * Read access to stored documents for the engine's indexes (Mango, later views), which live in their own
 * packages and must not depend on how documents are laid out: the by-sequence log, winners by id, and
 * the database counters, all through a {@link KvReader} the caller chooses (usually one snapshot).
 */
public final class StoredDocs {
    private StoredDocs() {}

    /**
     * One entry of the by-sequence log: the latest change of {@code id}.
     *
     * @param rev the winning revision after the change ({@code pos-hash})
     */
    public record Change(long seq, String id, boolean deleted, String rev) {}

    /** What {@link #scanById} hands over per live document; return false to stop. */
    @FunctionalInterface
    public interface DocVisitor {
        boolean visit(String id, ObjectNode doc);
    }

    @FunctionalInterface
    public interface ChangeVisitor {
        boolean visit(Change change);
    }

    /** The database's counters as {@code reader} holds them. */
    public static DbState state(KvReader reader) {
        return DbState.decode(reader.get(DocSpaces.META, DatabaseKeys.META_STATE));
    }

    public static long updateSeq(KvReader reader) {
        return state(reader).updateSeq();
    }

    public static long purgeSeq(KvReader reader) {
        return state(reader).purgeSeq();
    }

    /** Every document's latest change after {@code since}, in sequence order, until the visitor says stop. */
    public static void changesSince(KvReader reader, long since, ChangeVisitor visitor) {
        try (KvCursor cursor = reader.scan(DocSpaces.SEQ, DatabaseKeys.seq(since + 1), null, false)) {
            while (cursor.next()) {
                SeqEntry entry = SeqEntry.decode(cursor.value());
                if (!visitor.visit(new Change(DatabaseKeys.seq(cursor.key()), entry.id(), entry.deleted(),
                        entry.leaves().get(0).toString()))) {
                    return;
                }
            }
        }
    }

    /**
     * The winning revision of {@code id} as {@code GET /db/id} returns it (with {@code _conflicts} when asked),
     * or null when the document is missing or deleted.
     */
    public static ObjectNode winner(KvReader reader, String id, boolean conflicts) {
        return winner(reader, id, GetOptions.DEFAULT.conflicts(conflicts));
    }

    /** The live winner of {@code id} as {@code GET} with {@code options} returns it, or null. */
    public static ObjectNode winner(KvReader reader, String id, GetOptions options) {
        byte[] bytes = reader.get(DocSpaces.DOCS, DatabaseKeys.docId(id));
        if (bytes == null) {
            return null;
        }
        DocRecord doc = DocRecord.decode(bytes);
        if (doc.deleted()) {
            return null;
        }
        return DocJson.document(id, doc.winner().rev(), doc.winnerRecord(), doc.tree(), doc.seq(), options, reader);
    }

    /**
     * Live documents by id (raw UTF-8 order, as {@code _all_docs}) in {@code [fromId, toId)}, either bound null
     * for open, until the visitor says stop. Returns how many rows were read, deleted ones included.
     */
    public static long scanById(KvReader reader, String fromId, String toId, boolean descending, boolean conflicts,
                                DocVisitor visitor) {
        long read = 0;
        GetOptions options = GetOptions.DEFAULT.conflicts(conflicts);
        try (KvCursor cursor = reader.scan(DocSpaces.DOCS, fromId == null ? null : DatabaseKeys.docId(fromId),
                toId == null ? null : DatabaseKeys.docId(toId), descending)) {
            while (cursor.next()) {
                read++;
                DocRecord doc = DocRecord.decode(cursor.value());
                if (doc.deleted()) {
                    continue;
                }
                String id = DatabaseKeys.docId(cursor.key());
                ObjectNode json = DocJson.document(id, doc.winner().rev(), doc.winnerRecord(), doc.tree(), doc.seq(), options, reader);
                if (!visitor.visit(id, json)) {
                    break;
                }
            }
        }
        return read;
    }

    /**
     * The stored states of {@code ids} in one batched read (a RocksDB MultiGet instead of a lookup per id), in
     * the order of {@code ids}; null where a document does not exist. Nothing is decoded until asked: a query
     * can reject most candidates from their body bytes alone ({@link StoredWinner#liveBody}).
     */
    public static List<StoredWinner> winners(KvReader reader, List<String> ids) {
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (String id : ids) {
            keys.add(DatabaseKeys.docId(id));
        }
        List<byte[]> values = reader.getAll(DocSpaces.DOCS, keys);
        List<StoredWinner> winners = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            byte[] bytes = values.get(i);
            winners.add(bytes == null ? null : new StoredWinner(reader, ids.get(i), bytes));
        }
        return winners;
    }

    /** A document to read, and the sequence of its version in the reader's snapshot when the caller knows it. */
    public record VersionedId(String id, long seq) {
        /** The sequence of a document whose version the caller does not know: read from the store. */
        public static final long UNKNOWN = -1;
    }

    /**
     * {@link #winners(KvReader, List)}, answered from {@code cache} for every document whose version the caller
     * names ({@link DocumentCache}: a sequence names one stored state forever), the rest in one batched read,
     * whose results are cached for the next reader that names them.
     */
    public static List<StoredWinner> winners(KvReader reader, List<VersionedId> docs, DocumentCache.Scope cache) {
        List<StoredWinner> winners = new ArrayList<>(docs.size());
        List<byte[]> missingKeys = null;
        int[] missing = null;
        int missed = 0;
        for (int i = 0; i < docs.size(); i++) {
            VersionedId doc = docs.get(i);
            byte[] cached = doc.seq() == VersionedId.UNKNOWN ? null : cache.get(doc.id(), doc.seq());
            winners.add(cached == null ? null : new StoredWinner(reader, doc.id(), cached));
            if (cached == null) {
                if (missing == null) {
                    missing = new int[docs.size() - i];
                    missingKeys = new ArrayList<>(docs.size() - i);
                }
                missing[missed++] = i;
                missingKeys.add(DatabaseKeys.docId(doc.id()));
            }
        }
        if (missed > 0) {
            List<byte[]> values = reader.getAll(DocSpaces.DOCS, missingKeys);
            for (int m = 0; m < missed; m++) {
                byte[] bytes = values.get(m);
                if (bytes != null) {
                    String id = docs.get(missing[m]).id();
                    cache.put(id, bytes);
                    winners.set(missing[m], new StoredWinner(reader, id, bytes));
                }
            }
        }
        return winners;
    }

    /** The stored state of {@code id} ({@link #winners} for one document), or null when it does not exist. */
    public static StoredWinner stored(KvReader reader, String id) {
        byte[] bytes = reader.get(DocSpaces.DOCS, DatabaseKeys.docId(id));
        return bytes == null ? null : new StoredWinner(reader, id, bytes);
    }

    /** One document's stored state as read by {@link #winners}, decoded lazily. Not thread-safe. */
    public static final class StoredWinner {
        private final KvReader attachmentData;
        private final String id;
        private final byte[] stored;

        private StoredWinner(KvReader attachmentData, String id, byte[] stored) {
            this.attachmentData = attachmentData;
            this.id = id;
            this.stored = stored;
        }

        public String id() {
            return id;
        }

        /**
         * The winning revision's body (a JSON object without {@code _id}, {@code _rev} and the other specials),
         * read past the revision tree without decoding it; null when the winning record is a deletion. Meant for
         * rejecting non-matches cheaply: whether the document is live and what it looks like with its specials
         * is {@link #document}'s answer.
         */
        public byte[] liveBody() {
            ByteReader in = new ByteReader(stored);
            in.readByte(); // format, checked by the full decode
            in.readVarLong(); // seq
            in.skipBlock(); // revision tree
            RevRecord record = RevRecord.readFrom(in);
            return record.deleted() ? null : record.body();
        }

        /** The JSON bytes of {@link #document}: the stored body spliced in when nothing else is needed. Live documents only. */
        public byte[] json(boolean conflicts) {
            DocRecord doc = DocRecord.decode(stored);
            GetOptions options = GetOptions.DEFAULT.conflicts(conflicts);
            byte[] spliced = DocJson.splicedDocument(id, doc.winner().rev(), doc.winnerRecord(), doc.tree(), options);
            return spliced != null ? spliced : dev.arbor.core.json.Json.bytes(
                    DocJson.document(id, doc.winner().rev(), doc.winnerRecord(), doc.tree(), doc.seq(), options, attachmentData));
        }

        /**
         * The winning revision's body when {@code GET /db/id?conflicts=true} would return exactly {@code _id},
         * {@code _rev} and this body (live, no attachments, a single history so no conflicts), read past the revision
         * tree without decoding it; otherwise null, and {@link #document} has the answer. View indexes build their
         * documents from it.
         */
        public byte[] plainBody() {
            ByteReader in = new ByteReader(stored);
            in.readByte(); // format, checked by the full decode
            in.readVarLong(); // seq
            if (!dev.arbor.core.rev.RevTree.isSinglePath(in.readBlock())) {
                return null;
            }
            RevRecord record = RevRecord.readFrom(in);
            return record.deleted() || !record.attachments().isEmpty() ? null : record.body();
        }

        /** What {@link StoredDocs#winner} returns for this document. */
        public ObjectNode document(boolean conflicts) {
            DocRecord doc = DocRecord.decode(stored);
            if (doc.deleted()) {
                return null;
            }
            return DocJson.document(id, doc.winner().rev(), doc.winnerRecord(), doc.tree(), doc.seq(),
                    GetOptions.DEFAULT.conflicts(conflicts), attachmentData);
        }
    }
}
