package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.server.http.Access;

import static dev.arbor.protocol.Values.requireText;

/** Local documents' rows: read as {@code GET /db/_local/id} and {@code _local_docs} are, written as {@code PUT} is. */
final class LocalDocumentOps {
    private LocalDocumentOps() {}

    static void register(Dispatcher d) {
        d.on(Op.LOCAL_GET, (c, a) -> db(c, a, Access.READ).getLocal(requireText(a, "id")));
        d.on(Op.LOCAL_PUT, (c, a) -> Values.docResult(db(c, a, Access.WRITE).putLocal(object(a, "doc"))));
        d.on(Op.LOCAL_REMOVE, (c, a) -> {
            db(c, a, Access.WRITE).removeLocal(requireText(a, "id"), Values.text(a, "rev"));
            return NullNode.instance;
        });
        d.onStream(Op.LOCAL_DOCS, (c, a, s) -> {
            Database db = db(c, a, Access.READ);
            StreamedRows rows = new StreamedRows(s);
            db.localDocs(Values.allDocsOptions(a.get("options")), rows.allDocsSink());
            rows.finish();
            return NullNode.instance;
        });
    }

    static Database db(ProtocolConnection c, com.fasterxml.jackson.databind.JsonNode a, Access access) {
        return c.caller().database(requireText(a, "db"), access);
    }

    static ObjectNode object(com.fasterxml.jackson.databind.JsonNode a, String field) {
        if (!(a.get(field) instanceof ObjectNode object)) {
            throw new ArborException.BadRequest("bad_request", "argument \"" + field + "\" must be a JSON object");
        }
        return object;
    }
}
