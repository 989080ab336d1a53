package dev.arbor.core.doc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.rev.Rev;

import java.util.List;

/**
 * A document as a client sent it, split into CouchDB's special members and the user's body.
 *
 * @param id          the {@code _id}, or null when the client gave none (POST assigns one)
 * @param rev         the {@code _rev} the edit is based on (new_edits=true) or that it carries (new_edits=false); null if absent
 * @param deleted     {@code _deleted: true}
 * @param revisions   the {@code _revisions} ancestry, or null
 * @param attachments the raw {@code _attachments} object, or null
 * @param source      the document as sent; its body is every member that is not special, or null for an
 *                    outcome that carries no body
 * @param bodyBytes   the JSON bytes of that body: the members not starting with {@code _}, plus the
 *                    {@code _replication_*} members CouchDB keeps, in the order sent (null when {@code source}
 *                    is). The stored record, the revision hash and the stored size all use these bytes; never modified.
 */
public record ParsedDoc(String id, Rev rev, boolean deleted, Revisions revisions, ObjectNode attachments, ObjectNode source,
                        byte[] bodyBytes) {

    /**
     * A document whose body is every member of {@code source} that is not special. The body is encoded here, once,
     * on the caller's thread, right after the parser walked the same members: they are still in the CPU's cache,
     * and a database's writer (which runs one commit at a time) is left only the storing.
     */
    public ParsedDoc(String id, Rev rev, boolean deleted, Revisions revisions, ObjectNode attachments, ObjectNode source) {
        this(id, rev, deleted, revisions, attachments, source,
                source == null ? null : dev.arbor.core.json.Json.bytes(source, DocumentParser::isSpecial));
    }

    /** {@code _revisions: {start, ids}}: ids newest first, {@code ids[0]} is at position {@code start}. */
    public record Revisions(long start, List<String> ids) {}

    public boolean isLocal() {
        return id != null && id.startsWith(DocumentParser.LOCAL_PREFIX);
    }

    public boolean isDesign() {
        return id != null && id.startsWith(DocumentParser.DESIGN_PREFIX);
    }

    public ParsedDoc withId(String newId) {
        return new ParsedDoc(newId, rev, deleted, revisions, attachments, source, bodyBytes);
    }
}
