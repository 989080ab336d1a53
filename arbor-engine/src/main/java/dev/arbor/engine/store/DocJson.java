package dev.arbor.engine.store;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.GetOptions;
import dev.arbor.core.json.Json;
import dev.arbor.core.rev.Rev;
import dev.arbor.core.rev.RevInfo;
import dev.arbor.core.rev.RevTree;
import dev.arbor.engine.kv.KvReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/** Turns stored revisions into the JSON documents CouchDB returns, with the specials the options ask for. */
public final class DocJson {
    private DocJson() {}

    public static ObjectNode body(byte[] bodyBytes) {
        try {
            return (ObjectNode) Json.STORED.readTree(bodyBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads stored bodies into an object that already holds members, rather than into a new tree to copy from. */
    private static final ObjectReader INTO_OBJECT = Json.STORED.forType(ObjectNode.class);

    /**
     * Appends the members of {@code bodyBytes} to {@code doc}, parsed straight into it. A stored body never holds
     * a member {@code doc} already has (the specials are stripped on the way in), so nothing is merged.
     */
    static void readBodyInto(ObjectNode doc, byte[] bodyBytes) {
        try {
            INTO_OBJECT.withValueToUpdate(doc).readValue(bodyBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The document {@code id} at {@code rev}, in CouchDB's member order: {@code _id}, {@code _rev}, the
     * body, then {@code _deleted}, {@code _attachments}, {@code _conflicts}, {@code _deleted_conflicts},
     * {@code _revs_info}, {@code _revisions}, {@code _local_seq}.
     */
    public static ObjectNode document(String id, Rev rev, RevRecord record, RevTree tree, long seq, GetOptions options,
                               KvReader attachmentData) {
        ObjectNode doc = Json.object();
        doc.put("_id", id);
        doc.put("_rev", rev.toString());
        readBodyInto(doc, record.body());
        if (record.deleted()) {
            doc.put("_deleted", true);
        }
        if (!record.attachments().isEmpty()) {
            doc.set("_attachments", attachments(record.attachments(), options, tree, rev, attachmentData));
        }
        if (options.conflicts()) {
            addRevs(doc, "_conflicts", tree.conflicts());
        }
        if (options.deletedConflicts()) {
            addRevs(doc, "_deleted_conflicts", tree.deletedConflicts());
        }
        if (options.revsInfo()) {
            ArrayNode infos = doc.putArray("_revs_info");
            for (RevInfo info : tree.revsInfo(rev)) {
                infos.addObject().put("rev", info.rev().toString()).put("status", info.status());
            }
        }
        if (options.revs()) {
            doc.set("_revisions", revisions(tree.ancestry(rev)));
        }
        if (options.localSeq()) {
            doc.put("_local_seq", seq);
        }
        return doc;
    }

    /**
     * What {@link #document} gives under {@code options}, as JSON bytes spliced from the stored body without
     * parsing it: {@code {"_id":..,"_rev":..} + body members [+ "_deleted":true]}, the member order and bytes
     * {@code Json.bytes(document(...))} has (the stored body is that encoder's output). Null when the result
     * needs more than that (attachments, or a special the options ask for that the document has), so the
     * caller builds the tree instead.
     */
    public static byte[] splicedDocument(String id, Rev rev, RevRecord record, RevTree tree, GetOptions options) {
        byte[] body = record.body();
        if (!record.attachments().isEmpty() || options.revs() || options.revsInfo() || options.localSeq()
                || options.attachments() || !options.attsSince().isEmpty()
                || (options.conflicts() && !tree.conflicts().isEmpty())
                || (options.deletedConflicts() && !tree.deletedConflicts().isEmpty())
                || body.length < 2 || body[0] != '{' || body[body.length - 1] != '}') {
            return null;
        }
        ObjectNode specials = Json.object();
        specials.put("_id", id);
        specials.put("_rev", rev.toString());
        byte[] head = Json.bytes(specials);
        boolean emptyBody = body.length == 2;
        byte[] tail = record.deleted() ? DELETED_TAIL : CLOSE;
        // head without its '}', then ',' and the body's members without its '{' and '}', then the tail.
        int bodyMembers = emptyBody ? 0 : body.length - 2;
        byte[] out = new byte[head.length - 1 + (emptyBody ? 0 : 1 + bodyMembers) + tail.length];
        int at = head.length - 1;
        System.arraycopy(head, 0, out, 0, at);
        if (!emptyBody) {
            out[at++] = ',';
            System.arraycopy(body, 1, out, at, bodyMembers);
            at += bodyMembers;
        }
        System.arraycopy(tail, 0, out, at, tail.length);
        return out;
    }

    private static final byte[] CLOSE = {'}'};
    private static final byte[] DELETED_TAIL = ",\"_deleted\":true}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static ObjectNode revisions(List<Rev> ancestry) {
        ObjectNode revisions = Json.object();
        revisions.put("start", ancestry.get(0).pos());
        ArrayNode ids = revisions.putArray("ids");
        for (Rev r : ancestry) {
            ids.add(r.hash());
        }
        return revisions;
    }

    private static void addRevs(ObjectNode doc, String field, List<Rev> revs) {
        if (!revs.isEmpty()) {
            ArrayNode array = doc.putArray(field);
            revs.forEach(r -> array.add(r.toString()));
        }
    }

    private static ObjectNode attachments(List<AttachmentRef> refs, GetOptions options, RevTree tree, Rev rev, KvReader data) {
        // atts_since implies attachments=true for what the client lacks: data attached after the newest
        // of its revisions that is an ancestor of this one (CouchDB's find_ancestor_rev_pos).
        long clientHasUpTo = options.attsSince().isEmpty() ? -1 : newestKnownAncestor(options.attsSince(), tree, rev);
        ObjectNode atts = Json.object();
        for (AttachmentRef ref : refs) {
            ObjectNode att = atts.putObject(ref.name());
            att.put("content_type", ref.contentType());
            att.put("revpos", ref.revpos());
            att.put("digest", ref.digest());
            boolean inline = (options.attachments() || !options.attsSince().isEmpty()) && ref.revpos() > clientHasUpTo;
            if (inline) {
                // No length beside inline data, as CouchDB writes it (couch_att:to_json): the data says it.
                att.put("data", Base64.getEncoder().encodeToString(AttachmentStore.readAll(data, ref.dataKey())));
            } else {
                att.put("length", ref.length());
                att.put("stub", true);
            }
        }
        return atts;
    }

    /** The position of the newest revision named in atts_since that is {@code rev} or one of its ancestors; -1 if none. */
    private static long newestKnownAncestor(List<String> attsSince, RevTree tree, Rev rev) {
        List<Rev> ancestry = tree.ancestry(rev);
        long newest = -1;
        for (String text : attsSince) {
            try {
                Rev known = Rev.parse(text);
                if (ancestry.contains(known)) {
                    newest = Math.max(newest, known.pos());
                }
            } catch (RuntimeException ignored) {
                // An unparseable atts_since entry names nothing the client has; CouchDB ignores it too.
            }
        }
        return newest;
    }
}
