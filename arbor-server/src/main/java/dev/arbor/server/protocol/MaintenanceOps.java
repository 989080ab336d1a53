package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.server.http.Access;

import static dev.arbor.protocol.Values.requireText;
import static dev.arbor.server.protocol.LocalDocumentOps.db;
import static dev.arbor.server.protocol.LocalDocumentOps.object;

/**
 * Keeping a database, checked as its HTTP routes are: {@code _compact} by {@code COMPACT}, {@code _purge} and writing
 * {@code _security} by the database's admins, reading {@code _security} by its members; and a partition's info, read
 * as {@code GET /db/_partition/p} is.
 */
final class MaintenanceOps {
    private MaintenanceOps() {}

    static void register(Dispatcher d) {
        d.on(Op.DB_COMPACT, (c, a) -> {
            db(c, a, Access.COMPACT).compact();
            return NullNode.instance;
        });
        d.on(Op.DB_PURGE, (c, a) -> Values.tree(db(c, a, Access.DB_ADMIN).purge(Values.revs(a.path("revs")))));
        d.on(Op.DB_SECURITY, (c, a) -> db(c, a, Access.READ).getSecurity());
        d.on(Op.DB_SET_SECURITY, (c, a) -> {
            db(c, a, Access.DB_ADMIN).setSecurity(object(a, "security"));
            return NullNode.instance;
        });
        d.on(Op.DB_ENCRYPTION_KEY, (c, a) -> db(c, a, Access.READ).encryptionKey()
                .<com.fasterxml.jackson.databind.JsonNode>map(TextNode::valueOf).orElse(NullNode.instance));
        d.on(Op.PARTITION_INFO, (c, a) -> Values.tree(db(c, a, Access.READ).partition(requireText(a, "partition")).info()));
    }
}
