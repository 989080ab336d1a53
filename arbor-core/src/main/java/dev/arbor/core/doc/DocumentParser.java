package dev.arbor.core.doc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.rev.Rev;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a document as CouchDB's {@code couch_doc:from_json_obj} and {@code couch_db:validate_docid}
 * do and splits off its special members. Error tokens and reasons are CouchDB's, so clients that match on them keep working.
 */
public final class DocumentParser {
    public static final String DESIGN_PREFIX = "_design/";
    public static final String LOCAL_PREFIX = "_local/";

    /** Special members a client may send that carry no meaning on write (CouchDB ignores them too). */
    private static final Set<String> IGNORED_SPECIALS = Set.of("_conflicts", "_deleted_conflicts", "_local_seq", "_revs_info");

    /** Special members CouchDB's replicator manager writes and keeps in the body. */
    private static final Set<String> KEPT_SPECIALS = Set.of("_replication_state", "_replication_state_time",
            "_replication_state_reason", "_replication_id", "_replication_stats");

    private DocumentParser() {}

    /** True for a member that is not part of a document's stored body. */
    public static boolean isSpecial(String member) {
        return member.startsWith("_") && !KEPT_SPECIALS.contains(member);
    }

    public static ParsedDoc parse(JsonNode json) {
        if (!(json instanceof ObjectNode doc)) {
            throw new ArborException.BadRequest("bad_request", "Document must be a JSON object");
        }
        String id = null;
        Rev rev = null;
        boolean deleted = false;
        ParsedDoc.Revisions revisions = null;
        ObjectNode attachments = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (!name.startsWith("_")) {
                continue;
            }
            switch (name) {
                case "_id" -> id = parseId(value);
                case "_rev" -> rev = parseRev(value);
                case "_deleted" -> deleted = value.isBoolean() && value.booleanValue();
                case "_revisions" -> revisions = parseRevisions(value);
                case "_attachments" -> {
                    if (!value.isNull()) {
                        if (!(value instanceof ObjectNode atts)) {
                            throw new ArborException.BadRequest("bad_request", "_attachments must be an object");
                        }
                        atts.fieldNames().forEachRemaining(DocumentParser::validateAttachmentName);
                        attachments = atts;
                    }
                }
                default -> {
                    if (!KEPT_SPECIALS.contains(name) && !IGNORED_SPECIALS.contains(name)) {
                        throw new ArborException.BadRequest("doc_validation", "Bad special document member: " + name);
                    }
                }
            }
        }
        if (revisions != null) {
            // _revisions wins over a _rev that disagrees with it, as in CouchDB's couch_doc:transfer_fields
            // (PouchDB sends such docs).
            rev = new Rev(revisions.start(), revisions.ids().get(0));
        }
        return new ParsedDoc(id, rev, deleted, revisions, attachments, doc);
    }

    /** Checks a document id as CouchDB does ({@code couch_doc:validate_docid}). */
    public static String validateId(String id) {
        if (id.isEmpty()) {
            throw new ArborException.BadRequest("illegal_docid", "Document id must not be empty");
        }
        if (id.startsWith("_")) {
            if (id.startsWith(DESIGN_PREFIX) || id.startsWith(LOCAL_PREFIX)) {
                if (id.length() == (id.startsWith(DESIGN_PREFIX) ? DESIGN_PREFIX.length() : LOCAL_PREFIX.length())) {
                    throw new ArborException.BadRequest("illegal_docid", "Illegal document id `" + id + "`");
                }
                return id;
            }
            throw new ArborException.BadRequest("illegal_docid", "Only reserved document ids may start with underscore.");
        }
        return id;
    }

    /** Checks an attachment name as CouchDB does ({@code couch_att:validate_attachment_name}). */
    public static String validateAttachmentName(String name) {
        if (name.startsWith("_")) {
            throw new ArborException.BadRequest("bad_request",
                    "Attachment name '" + name + "' starts with prohibited character '_'");
        }
        return name;
    }

    private static String parseId(JsonNode value) {
        if (!value.isTextual()) {
            throw new ArborException.BadRequest("illegal_docid", "Document id must be a string");
        }
        return validateId(value.textValue());
    }

    private static Rev parseRev(JsonNode value) {
        if (!value.isTextual()) {
            throw new ArborException.BadRequest("bad_request", "Invalid rev format");
        }
        return Rev.parse(value.textValue());
    }

    private static ParsedDoc.Revisions parseRevisions(JsonNode value) {
        if (!(value instanceof ObjectNode obj)) {
            throw new ArborException.BadRequest("doc_validation", "_revisions member must be an object");
        }
        JsonNode start = obj.get("start");
        JsonNode ids = obj.get("ids");
        if (start == null || !start.canConvertToLong() || start.longValue() < 1 || !start.isIntegralNumber()) {
            throw new ArborException.BadRequest("doc_validation", "_revisions.start isn't an integer.");
        }
        if (!(ids instanceof ArrayNode array) || array.isEmpty()) {
            throw new ArborException.BadRequest("doc_validation", "_revisions.ids isn't a array.");
        }
        if (array.size() > start.longValue()) {
            throw new ArborException.BadRequest("doc_validation", "RevId isn't a valid hexadecimal");
        }
        List<String> hashes = new ArrayList<>(array.size());
        for (JsonNode id : array) {
            // An empty id is a revision CouchDB accepts ("1-"), not a malformed one.
            if (!id.isTextual()) {
                throw new ArborException.BadRequest("doc_validation", "RevId isn't a string");
            }
            hashes.add(id.textValue());
        }
        return new ParsedDoc.Revisions(start.longValue(), List.copyOf(hashes));
    }
}
