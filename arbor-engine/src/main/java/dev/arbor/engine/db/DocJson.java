package dev.arbor.engine.db;

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
import java.util.Set;

/** Turns stored revisions into the JSON documents CouchDB returns, with the specials the options ask for. */
final class DocJson {
    private DocJson() {}

    static ObjectNode body(byte[] bodyBytes) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(bodyBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The document {@code id} at {@code rev}, in CouchDB's member order: {@code _id}, {@code _rev}, the
     * body, then {@code _deleted}, {@code _attachments}, {@code _conflicts}, {@code _deleted_conflicts},
     * {@code _revs_info}, {@code _revisions}, {@code _local_seq}.
     */
    static ObjectNode document(String id, Rev rev, RevRecord record, RevTree tree, long seq, GetOptions options,
                               KvReader attachmentData) {
        ObjectNode doc = Json.object();
        doc.put("_id", id);
        doc.put("_rev", rev.toString());
        doc.setAll(body(record.body()));
        if (record.deleted()) {
            doc.put("_deleted", true);
        }
        if (!record.attachments().isEmpty()) {
            doc.set("_attachments", attachments(record.attachments(), options, tree, attachmentData));
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

    private static ObjectNode attachments(List<AttachmentRef> refs, GetOptions options, RevTree tree, KvReader data) {
        Set<Long> knownPositions = options.attsSince().isEmpty() ? Set.of() : positionsKnownTo(options.attsSince(), tree);
        ObjectNode atts = Json.object();
        for (AttachmentRef ref : refs) {
            ObjectNode att = atts.putObject(ref.name());
            att.put("content_type", ref.contentType());
            att.put("revpos", ref.revpos());
            att.put("digest", ref.digest());
            att.put("length", ref.length());
            // atts_since: the client already has data attached at or before the newest rev it names.
            boolean inline = options.attachments() || (!options.attsSince().isEmpty() && knownPositions.stream().noneMatch(p -> p >= ref.revpos()));
            if (inline) {
                att.put("data", Base64.getEncoder().encodeToString(AttachmentStore.readAll(data, ref.digest())));
            } else {
                att.put("stub", true);
            }
        }
        return atts;
    }

    /** Positions of the revisions named in atts_since that this tree knows. */
    private static Set<Long> positionsKnownTo(List<String> attsSince, RevTree tree) {
        java.util.HashSet<Long> positions = new java.util.HashSet<>();
        for (String text : attsSince) {
            try {
                Rev rev = Rev.parse(text);
                if (tree.contains(rev)) {
                    positions.add(rev.pos());
                }
            } catch (RuntimeException ignored) {
                // An unparseable atts_since entry names nothing the client has; CouchDB ignores it too.
            }
        }
        return positions;
    }
}
