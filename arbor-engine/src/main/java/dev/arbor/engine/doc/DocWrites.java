package dev.arbor.engine.doc;

import dev.arbor.engine.store.AttachmentSpaces;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.store.AttachmentRef;
import dev.arbor.engine.store.AttachmentStore;
import dev.arbor.engine.store.CouchDbGzipDigest;
import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.DocRecord;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.store.RevRecord;
import dev.arbor.engine.store.SeqEntry;
import dev.arbor.engine.write.WriteContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.DocResult;
import dev.arbor.core.doc.ParsedDoc;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.rev.Leaf;
import dev.arbor.core.rev.Rev;
import dev.arbor.core.rev.RevHasher;
import dev.arbor.core.rev.RevPath;
import dev.arbor.core.rev.RevStatus;
import dev.arbor.core.rev.RevTree;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvStore;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every change to a database's documents, as CouchDB makes it, staged into the writer's
 * {@link WriteContext}. Runs only in the writer (the thread holding the commit lock); failures are thrown as
 * {@link ArborException}s and the caller rolls back what the failed unit staged.
 *
 * <p>Storage rule kept by every method here: the winning revision's record lives in the document's
 * {@link DocRecord}; every other available revision's record lives in {@code REVS}.
 */
public final class DocWrites {
    private static final byte[] EMPTY_BODY = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final AttachmentStore attachments;

    public DocWrites(AttachmentStore attachments) {
        this.attachments = attachments;
    }

    /**
     * Reads the stored records of the documents a bulk write is about to edit in one batch, so each edit's
     * {@link #load} is a map lookup rather than a store lookup (JNI call) of its own. Ids are those of
     * documents (no local ones).
     */
    public static void prefetch(WriteContext ctx, List<String> ids) {
        if (ids.size() < 2) {
            return;
        }
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (String id : ids) {
            keys.add(DatabaseKeys.docId(id));
        }
        ctx.prefetch(DocSpaces.DOCS, keys);
    }

    static DocRecord load(WriteContext ctx, String id) {
        byte[] bytes = ctx.get(DocSpaces.DOCS, DatabaseKeys.docId(id));
        return bytes == null ? null : DocRecord.decode(bytes);
    }

    /** The stored record of {@code rev}, or null if its body is not stored. */
    static RevRecord record(WriteContext ctx, String id, DocRecord doc, Rev rev) {
        if (doc.winner().rev().equals(rev)) {
            return doc.winnerRecord();
        }
        byte[] bytes = ctx.get(DocSpaces.REVS, DatabaseKeys.rev(id, rev));
        return bytes == null ? null : RevRecord.decode(bytes);
    }

    /**
     * The revision an interactive edit builds on: the named leaf, or for an edit without {@code _rev}
     * nothing (new doc) or a deleted winner (recreating a deleted doc, as CouchDB allows).
     */
    private static Rev parentFor(DocRecord current, Rev requested) {
        if (current == null) {
            if (requested != null) {
                throw new ArborException.Conflict();
            }
            return null;
        }
        if (requested == null) {
            Leaf winner = current.winner();
            if (!winner.status().deleted()) {
                throw new ArborException.Conflict();
            }
            return winner.rev();
        }
        if (!current.tree().isLeaf(requested)) {
            throw new ArborException.Conflict();
        }
        return requested;
    }

    /**
     * An interactive edit ({@code new_edits=true}): a new revision on top of the doc's {@code _rev}.
     *
     * @param streamed data of attachments marked {@code follows}, already written by name
     */
    DocResult.Ok edit(WriteContext ctx, ParsedDoc doc, Map<String, AttachmentStore.Written> streamed) {
        String id = doc.id();
        DocRecord current = load(ctx, id);
        Rev parent = parentFor(current, doc.rev());
        long pos = parent == null ? 1 : parent.pos() + 1;
        RevRecord parentRecord = parent == null ? null : record(ctx, id, current, parent);
        List<AttachmentRef> atts = doc.deleted() && doc.attachments() == null ? List.of()
                : resolveAttachments(ctx, id, doc.attachments(), pos, false,
                name -> parentRecord == null ? null : parentRecord.attachment(name), streamed);
        return commitNewRevision(ctx, id, current, parent, new RevRecord(doc.deleted(), atts, doc.bodyBytes()));
    }

    /**
     * The edits of one atomic write ({@link dev.arbor.api.Database#bulkDocsAllOrNothing}), staged in order; the first
     * that fails throws, naming its position and document, and the writer rolls back the whole task.
     *
     * @param overwrite per edit: build on the current winner whatever it is, instead of the edit's own {@code _rev}
     */
    List<DocResult.Ok> editAll(WriteContext ctx, List<ParsedDoc> docs, List<Boolean> overwrite) {
        prefetch(ctx, docs.stream().map(ParsedDoc::id).toList());
        List<DocResult.Ok> results = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            ParsedDoc doc = docs.get(i);
            if (overwrite.get(i)) {
                DocRecord current = load(ctx, doc.id());
                Rev winner = current == null || current.winner().status().deleted() ? null : current.winner().rev();
                doc = new ParsedDoc(doc.id(), winner, doc.deleted(), doc.revisions(), doc.attachments(), doc.source(), doc.bodyBytes());
            }
            try {
                results.add(edit(ctx, doc, Map.of()));
            } catch (ArborException.Conflict e) {
                // Keep the reason: a unique view's refusal names the view, the key and the document holding it.
                String reason = e.reason().endsWith(".") ? e.reason().substring(0, e.reason().length() - 1) : e.reason();
                throw new ArborException.Conflict(reason + ": operation " + i + " (" + doc.id() + ")");
            } catch (ArborException.NotFound e) {
                throw new ArborException.NotFound(e.reason() + ": operation " + i + " (" + doc.id() + ")");
            }
        }
        return results;
    }

    /** Adds or replaces one attachment whose data was streamed already. */
    public DocResult.Ok putAttachment(WriteContext ctx, String id, Rev requested, String name, String contentType,
                               AttachmentStore.Written data) {
        DocRecord current = load(ctx, id);
        Rev parent = parentFor(current, requested);
        RevRecord parentRecord = parent == null ? null : record(ctx, id, current, parent);
        long pos = parent == null ? 1 : parent.pos() + 1;
        // The new attachment comes first, then the parent's others in their order, as CouchDB's
        // chttpd_db:db_attachment_req builds the document (the order is part of the revision id).
        List<AttachmentRef> atts = new ArrayList<>();
        attachments.register(ctx, data);
        atts.add(new AttachmentRef(name, contentType, data.reported(), data.length(), pos, data.digest()));
        byte[] body = EMPTY_BODY;
        if (parentRecord != null && !parentRecord.deleted()) {
            body = parentRecord.body();
            parentRecord.attachments().stream().filter(a -> !a.name().equals(name)).forEach(atts::add);
        }
        return commitNewRevision(ctx, id, current, parent, new RevRecord(false, atts, body));
    }

    public DocResult.Ok removeAttachment(WriteContext ctx, String id, Rev requested, String name) {
        DocRecord current = load(ctx, id);
        if (current == null) {
            throw new ArborException.NotFound("missing");
        }
        Rev parent = parentFor(current, requested);
        RevRecord parentRecord = record(ctx, id, current, parent);
        if (parentRecord == null || parentRecord.attachment(name) == null) {
            throw new ArborException.NotFound("Document is missing attachment");
        }
        List<AttachmentRef> atts = parentRecord.attachments().stream().filter(a -> !a.name().equals(name)).toList();
        return commitNewRevision(ctx, id, current, parent, new RevRecord(false, atts, parentRecord.body()));
    }

    private DocResult.Ok commitNewRevision(WriteContext ctx, String id, DocRecord current, Rev parent, RevRecord record) {
        long pos = parent == null ? 1 : parent.pos() + 1;
        List<RevHasher.Attachment> atts = new ArrayList<>(record.attachments().size());
        for (AttachmentRef att : record.attachments()) {
            atts.add(RevHasher.Attachment.of(att.name(), att.contentType(), att.digest()));
        }
        String hash = RevHasher.newRevHash(record.deleted(), parent, record.body(), atts);
        Rev rev = new Rev(pos, hash);
        RevStatus status = new RevStatus(record.deleted(), true);
        RevPath path = parent == null ? new RevPath(1, List.of(hash), status)
                : new RevPath(pos, List.of(hash, parent.hash()), status);
        RevTree tree = current == null ? RevTree.empty() : current.tree();
        RevTree.Merge merge = tree.merge(path);
        if (merge.outcome() == RevTree.Outcome.ALREADY_PRESENT) {
            // The parent was a leaf, so its child cannot exist: only a concurrent identical edit gets here.
            throw new ArborException.Conflict();
        }
        applyChange(ctx, id, current, merge.tree().stem(ctx.state().revsLimit()), rev, record);
        return new DocResult.Ok(id, rev.toString());
    }

    /**
     * A replicated revision ({@code new_edits=false}): merged into the tree with its ancestry as given,
     * never a conflict. The tree may already have had it (then nothing changes).
     */
    DocResult.Ok replicate(WriteContext ctx, ParsedDoc doc, Map<String, AttachmentStore.Written> streamed) {
        String id = doc.id();
        if (doc.rev() == null) {
            throw new ArborException.BadRequest("bad_request",
                    "When `new_edits: false`, the document needs `_rev` or `_revisions` specified");
        }
        DocRecord current = load(ctx, id);
        RevTree tree = current == null ? RevTree.empty() : current.tree();
        List<String> hashes = doc.revisions() != null ? doc.revisions().ids() : List.of(doc.rev().hash());
        RevTree.Merge merge = tree.merge(new RevPath(doc.rev().pos(), hashes, new RevStatus(doc.deleted(), true)));
        if (merge.outcome() == RevTree.Outcome.ALREADY_PRESENT) {
            return new DocResult.Ok(id, doc.rev().toString());
        }
        RevTree merged = merge.tree();
        Rev rev = doc.rev();
        List<AttachmentRef> atts = resolveAttachments(ctx, id, doc.attachments(), rev.pos(), true,
                name -> findInAncestors(ctx, id, current, merged, rev, name), streamed);
        // A path can be new only in the ancestry it brings (filling a gap left by stemming) while its
        // leaf is already stored: keep the stored record then.
        boolean leafStored = tree.status(rev).map(RevStatus::available).orElse(false);
        applyChange(ctx, id, current, merged.stem(ctx.state().revsLimit()), leafStored ? null : rev,
                leafStored ? null : new RevRecord(doc.deleted(), atts, doc.bodyBytes()));
        return new DocResult.Ok(id, rev.toString());
    }

    private static AttachmentRef findInAncestors(WriteContext ctx, String id, DocRecord current, RevTree tree, Rev rev, String name) {
        if (current == null) {
            return null;
        }
        List<Rev> ancestry = tree.ancestry(rev);
        for (int i = 1; i < ancestry.size(); i++) {
            if (!current.tree().contains(ancestry.get(i))) {
                continue;
            }
            RevRecord record = record(ctx, id, current, ancestry.get(i));
            if (record != null && record.attachment(name) != null) {
                return record.attachment(name);
            }
        }
        return null;
    }

    /**
     * Turns a client's {@code _attachments} into stored references: stubs kept from the parent, inline data stored.
     * New data gets {@code pos} as its revpos, except in a replicated revision, which keeps the revpos it
     * names (CouchDB's {@code couch_att:inline_from_json}): the data may be older than the revision, sent
     * inline only because the target had none of its ancestors.
     */
    private List<AttachmentRef> resolveAttachments(WriteContext ctx, String id, ObjectNode json, long pos, boolean replicated,
                                                   Function<String, AttachmentRef> stubs,
                                                   Map<String, AttachmentStore.Written> streamed) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        List<AttachmentRef> refs = new ArrayList<>(json.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (!(entry.getValue() instanceof ObjectNode att)) {
                throw new ArborException.BadRequest("bad_request", "Attachment " + name + " must be an object");
            }
            if (att.path("stub").asBoolean(false)) {
                AttachmentRef existing = stubs.apply(name);
                if (existing == null) {
                    throw new ArborException.PreconditionFailed("missing_stub", "Invalid attachment stub in " + id + " for " + name);
                }
                refs.add(existing);
            } else if (att.has("data")) {
                JsonNode data = att.get("data");
                byte[] bytes;
                try {
                    bytes = Base64.getMimeDecoder().decode(data.asText(""));
                } catch (IllegalArgumentException e) {
                    throw new ArborException.BadRequest("bad_request", "Invalid attachment data for " + name);
                }
                String contentType = att.path("content_type").asText("application/octet-stream");
                String dataKey = attachments.stage(ctx, bytes);
                checkLength(att, name, bytes.length);
                // A replicated revision keeps its peer's digest (CouchDB's of what it stores, which revision ids and
                // peers compare); a new edit, or a peer that declared none, gets CouchDB's digest computed here.
                String declared = replicated ? att.path("digest").asText(null) : null;
                String digest = declared != null && declared.startsWith("md5-") ? declared
                        : CouchDbGzipDigest.compressible(contentType) ? CouchDbGzipDigest.of(bytes) : dataKey;
                refs.add(new AttachmentRef(name, contentType, digest, bytes.length, revpos(att, pos, replicated), dataKey));
            } else if (att.path("follows").asBoolean(false)) {
                AttachmentStore.Written data = streamed.get(name);
                if (data == null) {
                    throw new ArborException.BadRequest("bad_request",
                            "Attachment " + name + " follows, but no data came with it");
                }
                String declared = att.path("digest").asText(null);
                if (!replicated && declared != null && declared.startsWith("md5-") && !declared.equals(data.digest())) {
                    throw new ArborException.BadRequest("content_md5_mismatch",
                            "Possible message corruption: the digest of " + name + " does not match its data.");
                }
                checkLength(att, name, data.length());
                attachments.register(ctx, data);
                String contentType = att.path("content_type").asText("application/octet-stream");
                refs.add(new AttachmentRef(name, contentType, replicated && declared != null && declared.startsWith("md5-")
                        ? declared : data.reported(), data.length(), revpos(att, pos, replicated), data.digest()));
            } else {
                throw new ArborException.BadRequest("bad_request", "Attachment " + name + " has neither data nor stub");
            }
        }
        return refs;
    }

    /**
     * A declared {@code length} (the identity length, as CouchDB reports it) must be the length of the data that
     * came: what is left to check of data whose digest is a peer's and cannot be recomputed from it.
     */
    private static void checkLength(ObjectNode att, String name, long length) {
        JsonNode declared = att.get("length");
        if (declared != null && declared.isIntegralNumber() && declared.longValue() != length) {
            throw new ArborException.BadRequest("bad_request", "Attachment " + name + " declares length "
                    + declared.longValue() + " but " + length + " bytes came");
        }
    }

    private static long revpos(ObjectNode att, long pos, boolean replicated) {
        long given = att.path("revpos").asLong(0);
        return replicated && given >= 1 && given <= pos ? given : pos;
    }

    /**
     * Stores a document's new tree: moves records so the winner's is inline, gives the doc a new
     * sequence (dropping its old one, so each doc is in the changes feed once), adjusts the counters.
     *
     * @param added the revision this change added (with {@code addedRecord}), or null (purge)
     */
    static void applyChange(WriteContext ctx, String id, DocRecord current, RevTree tree, Rev added, RevRecord addedRecord) {
        Leaf winner = tree.winner();
        Rev oldWinner = current == null ? null : current.winner().rev();
        RevRecord winnerRecord;
        if (winner.rev().equals(added)) {
            winnerRecord = addedRecord;
        } else if (winner.rev().equals(oldWinner)) {
            winnerRecord = current.winnerRecord();
        } else {
            byte[] stored = ctx.get(DocSpaces.REVS, DatabaseKeys.rev(id, winner.rev()));
            if (stored == null) {
                throw new ArborException.Internal("body of leaf " + winner.rev() + " of " + id + " is missing", null);
            }
            winnerRecord = RevRecord.decode(stored);
            ctx.delete(DocSpaces.REVS, DatabaseKeys.rev(id, winner.rev()));
        }
        if (oldWinner != null && !oldWinner.equals(winner.rev()) && tree.contains(oldWinner)) {
            ctx.put(DocSpaces.REVS, DatabaseKeys.rev(id, oldWinner), current.winnerRecord().encode());
        }
        if (added != null && !added.equals(winner.rev())) {
            ctx.put(DocSpaces.REVS, DatabaseKeys.rev(id, added), addedRecord.encode());
        }
        long seq = ctx.nextSeq();
        if (current != null) {
            ctx.delete(DocSpaces.SEQ, DatabaseKeys.seq(current.seq()));
        }
        List<Rev> leaves = tree.leaves().stream().map(Leaf::rev).toList();
        ctx.put(DocSpaces.SEQ, DatabaseKeys.seq(seq), new SeqEntry(id, winner.status().deleted(), leaves).encode());
        DocRecord record = new DocRecord(seq, tree, winnerRecord);
        ctx.put(DocSpaces.DOCS, DatabaseKeys.docId(id), record.encode());
        ctx.documentChanged(id, record);
        if (id.startsWith(dev.arbor.core.doc.DocumentParser.DESIGN_PREFIX)) {
            ctx.designDocumentTouched();
        }
        adjustCounts(ctx, id, current, winner.status().deleted(), winnerRecord.body().length, true);
    }

    private static void adjustCounts(WriteContext ctx, String id, DocRecord before, boolean deletedAfter, long bodyAfter,
                                     boolean existsAfter) {
        boolean liveBefore = before != null && !before.deleted();
        boolean liveAfter = existsAfter && !deletedAfter;
        if (liveBefore != liveAfter) {
            ctx.liveCountChanged(DatabaseKeys.docId(id), liveAfter ? 1 : -1);
        }
        DbState s = ctx.state();
        long live = s.docCount();
        long deleted = s.docDelCount();
        long external = s.externalSize();
        if (before != null) {
            if (before.deleted()) deleted--; else live--;
            external -= before.winnerRecord().body().length;
        }
        if (existsAfter) {
            if (deletedAfter) deleted++; else live++;
            external += bodyAfter;
        }
        ctx.state(s.withCounts(live, deleted, external));
    }

    /** {@code _purge} of one document's leaves. Returns the revisions purged (empty if none of them were leaves). */
    public static List<String> purge(WriteContext ctx, String id, List<Rev> leaves) {
        DocRecord current = load(ctx, id);
        if (current == null) {
            return List.of();
        }
        List<Rev> wanted = leaves.stream().filter(current.tree()::isLeaf).toList();
        if (wanted.isEmpty()) {
            return List.of();
        }
        // The purge seq moves first, so eager indexes record the purge seq that includes this change.
        ctx.state(ctx.state().withPurgeSeq(ctx.state().purgeSeq() + 1));
        RevTree.Removal removal = current.tree().removeLeaves(wanted);
        Rev oldWinner = current.winner().rev();
        for (Rev rev : removal.removed()) {
            if (!rev.equals(oldWinner)) {
                ctx.delete(DocSpaces.REVS, DatabaseKeys.rev(id, rev));
            }
        }
        if (removal.tree().isEmpty()) {
            ctx.delete(DocSpaces.DOCS, DatabaseKeys.docId(id));
            if (id.startsWith(dev.arbor.core.doc.DocumentParser.DESIGN_PREFIX)) {
                ctx.designDocumentTouched();
            }
            ctx.delete(DocSpaces.SEQ, DatabaseKeys.seq(current.seq()));
            ctx.nextSeq();
            adjustCounts(ctx, id, current, false, 0, false);
            ctx.documentChanged(id, null);
        } else {
            applyChange(ctx, id, current, removal.tree(), null, null);
        }
        return wanted.stream().map(Rev::toString).toList();
    }

    /**
     * Compaction, run as an exclusive writer task so the committed store is the whole truth: drops
     * bodies of revisions that are no longer leaves (marking them unavailable in the tree), then the
     * data of every attachment digest no remaining revision refers to.
     */
    public void compact(WriteContext ctx, KvStore store) {
        Set<String> referenced = new HashSet<>();
        try (KvCursor docs = store.scan(DocSpaces.DOCS, null, null, false)) {
            while (docs.next()) {
                String id = DatabaseKeys.docId(docs.key());
                DocRecord record = DocRecord.decode(docs.value());
                RevTree tree = record.tree();
                byte[] prefix = DatabaseKeys.revPrefix(id);
                try (KvCursor revs = store.scan(DocSpaces.REVS, prefix, DatabaseKeys.after(prefixEnd(prefix)), false)) {
                    while (revs.next()) {
                        Rev rev = DatabaseKeys.revOf(revs.key());
                        if (tree.isLeaf(rev)) {
                            RevRecord.decode(revs.value()).attachments().forEach(a -> referenced.add(a.dataKey()));
                        } else {
                            ctx.delete(DocSpaces.REVS, revs.key());
                        }
                    }
                }
                record.winnerRecord().attachments().forEach(a -> referenced.add(a.dataKey()));
                if (!tree.availableNonLeaves().isEmpty()) {
                    ctx.put(DocSpaces.DOCS, docs.key(), new DocRecord(record.seq(), tree.compacted(), record.winnerRecord()).encode());
                }
            }
        }
        List<String> unreferenced = new ArrayList<>();
        try (KvCursor index = store.scan(AttachmentSpaces.INDEX, null, null, false)) {
            while (index.next()) {
                String digest = new String(index.key(), java.nio.charset.StandardCharsets.UTF_8);
                if (!referenced.contains(digest)) {
                    unreferenced.add(digest);
                }
            }
        }
        unreferenced.forEach(digest -> attachments.remove(ctx, digest));
    }

    /** The last key with this prefix is below {@code prefix + 0xFF...}; revision keys continue with 8 bytes of position. */
    private static byte[] prefixEnd(byte[] prefix) {
        byte[] end = java.util.Arrays.copyOf(prefix, prefix.length + 9);
        java.util.Arrays.fill(end, prefix.length, end.length, (byte) 0xFF);
        return end;
    }
}
