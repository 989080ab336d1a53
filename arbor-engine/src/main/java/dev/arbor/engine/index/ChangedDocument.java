package dev.arbor.engine.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.engine.store.StoredDocs;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A document as an index pass sees one change of it: its id and the sequence of the change, and its winning
 * revision when it is live, read lazily from the stored bytes (an update from the log) or handed over parsed (the
 * writer's commit). Every index of a pass gets the same instance, so a kind decodes the document once for all of
 * its indexes ({@link #decoded}). Owned by the thread running the pass; not thread-safe.
 */
public final class ChangedDocument {
    private final String id;
    private final long seq;
    private final String rev;
    /** The stored state, or null when the change came from the writer or the document is deleted. */
    private final StoredDocs.StoredWinner stored;
    /** The winner as {@code GET} returns it, when the writer handed it over; null otherwise. */
    private final ObjectNode winner;
    private final boolean deleted;
    private Map<Object, Object> decoded;

    private ChangedDocument(String id, long seq, String rev, StoredDocs.StoredWinner stored, ObjectNode winner,
                            boolean deleted) {
        this.id = id;
        this.seq = seq;
        this.rev = rev;
        this.stored = stored;
        this.winner = winner;
        this.deleted = deleted;
    }

    /** A change read from the log, with its document's stored state (null when the document is gone). */
    static ChangedDocument fromLog(StoredDocs.Change change, StoredDocs.StoredWinner stored) {
        boolean deleted = change.deleted() || stored == null;
        return new ChangedDocument(change.id(), change.seq(), change.rev(), deleted ? null : stored, null, deleted);
    }

    /**
     * A change in the writer's commit.
     *
     * @param winner the winning revision as {@code GET} returns it, or null when the document is deleted
     */
    public static ChangedDocument fromCommit(String id, long seq, ObjectNode winner) {
        return new ChangedDocument(id, seq, winner == null ? null : winner.path("_rev").asText(null), null, winner,
                winner == null);
    }

    public String id() {
        return id;
    }

    /** The sequence of this change: it names the version the index is built from. */
    public long seq() {
        return seq;
    }

    /** The winning revision after the change ({@code pos-hash}); null for a deleted document from the writer. */
    public String rev() {
        return rev;
    }

    /** Whether the document has no live revision: it has no rows in any index. */
    public boolean deleted() {
        return deleted;
    }

    /**
     * The winning revision's body without specials, read past the revision tree without decoding it; null when
     * the document is deleted or the change came from the writer (then {@link #document} has it).
     */
    public byte[] liveBody() {
        return stored == null ? null : stored.liveBody();
    }

    /**
     * The winning revision's body when {@code GET ?conflicts=true} would return exactly {@code _id}, {@code _rev}
     * and it ({@link StoredDocs.StoredWinner#plainBody}); null otherwise, and {@link #document} has the answer.
     */
    public byte[] plainBody() {
        return stored == null ? null : stored.plainBody();
    }

    /**
     * The winning revision as {@code GET} returns it, or null when deleted. From the writer, it is what the writer
     * built ({@code _conflicts} as it chose); from the log, with {@code _conflicts} when asked.
     */
    public ObjectNode document(boolean conflicts) {
        if (deleted) {
            return null;
        }
        return winner != null ? winner : stored.document(conflicts);
    }

    /**
     * What {@code decoder} makes of this document, computed once per {@code key} and shared by every index of the
     * pass that asks with the same key (a kind's own decoded form of the document).
     */
    @SuppressWarnings("unchecked")
    public <T> T decoded(Object key, Function<ChangedDocument, T> decoder) {
        if (decoded == null) {
            decoded = new IdentityHashMap<>(2);
        }
        if (decoded.containsKey(key)) {
            return (T) decoded.get(key);
        }
        T value = decoder.apply(this);
        decoded.put(key, value);
        return value;
    }
}
