package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.AtomicWrite;
import dev.arbor.api.AtomicWrites;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.ApiCalls;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.server.http.Access;

import java.util.ArrayList;
import java.util.List;

import static dev.arbor.protocol.Values.requireText;

/**
 * What typed collections need beyond documents: {@link Op#DOC_BULK_ALL_OR_NOTHING}, the atomic batch their
 * transactions commit, run on the server's database in one batch (all or none), so a transaction over the protocol is
 * as atomic as an embedded one. Stateless.
 */
final class CollectionRows {
    private CollectionRows() {}

    static void register(Dispatcher dispatcher) {
        dispatcher.on(Op.DOC_BULK_ALL_OR_NOTHING, (c, a) -> {
            String db = requireText(a, "db");
            List<AtomicWrite> writes = ApiCalls.atomicWrites(a.path("writes"));
            Caller caller = c.caller();
            caller.authorize(db, Access.WRITE);
            Database base = caller.storage().database(db);
            checkEveryWrite(caller.access().permissions(caller.user(), db), base, db, writes);
            AtomicWrites atomic = base.atomicWrites().orElseThrow(() -> new ArborException.BadRequest("not_supported",
                    "database " + db + " cannot write several documents atomically on this server"));
            return Values.docResults(new ArrayList<DocResult>(atomic.bulkDocsAllOrNothing(writes)));
        });
    }

    /**
     * A caller narrowed to some documents (a collection's, say) may commit a batch of those documents only: each
     * write needs {@code database.write_document} on its id, and an encrypted database's key its encrypt action, as
     * {@code PermittedDatabase} asks of single writes. Checked before anything is written, so a refusal writes nothing.
     */
    private static void checkEveryWrite(Permissions permissions, Database base, String db, List<AtomicWrite> writes) {
        if (permissions.isAll()) {
            return;
        }
        for (AtomicWrite write : writes) {
            String id = write.doc().path("_id").textValue();
            if (id == null) {
                throw new ArborException.BadRequest("bad_request", "every atomic write names its document's \"_id\"");
            }
            permissions.check(ResourceName.document(db, id), Action.DATABASE_WRITE_DOCUMENT);
        }
        base.encryptionKey().ifPresent(key -> permissions.check(ResourceName.encryptionKey(key), Action.ENCRYPTION_ENCRYPT));
    }
}
