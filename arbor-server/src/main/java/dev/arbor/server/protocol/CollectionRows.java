package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.AtomicWrite;
import dev.arbor.api.AtomicWrites;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.UserContext;
import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.DocumentAccess;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.ViewHandle;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.arbor.protocol.TypedViewValues;
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
 * as atomic as an embedded one; and typed views by name ({@code typedView.*}), whose Java code runs on the server, where
 * the storage was opened with the schema that declares them ({@code Arbor.storage(dir, options, schemas)}), the client
 * naming the view and reading typed rows. Stateless.
 */
final class CollectionRows {
    private CollectionRows() {}

    static void register(Dispatcher dispatcher) {
        // Not run as the caller's request (onStatementsOnly): the server's narrowing of a database to the caller's
        // documents has no atomic batches, so the batch is checked here, write by write, against the same statements,
        // and written to the database itself. System databases, whose guards must see the caller, are for admins.
        dispatcher.onStatementsOnly(Op.DOC_BULK_ALL_OR_NOTHING, (c, a) -> {
            String db = requireText(a, "db");
            List<AtomicWrite> writes = ApiCalls.atomicWrites(a.path("writes"));
            Caller caller = c.caller();
            caller.authorize(db, Access.WRITE);
            Permissions permissions = caller.access().permissions(caller.user(), db);
            if (db.startsWith("_")) {
                if (!permissions.isAll()) {
                    throw new ArborException.Forbidden("atomic batches in " + db + " are for server admins");
                }
                return caller.access().asCaller(caller.user(), () -> writeAtomically(caller, db, writes));
            }
            checkEveryWrite(permissions, caller.storage().database(db), db, writes);
            return writeAtomically(caller, db, writes);
        });

        dispatcher.on(Op.TYPED_VIEW_OPEN, (c, a) -> {
            ViewHandle<?, ?> view = view(c, a, false);
            return Values.object().put("version", view.view().version()).put("updatePolicy", view.view().updatePolicy().name());
        });
        dispatcher.on(Op.TYPED_VIEW_QUERY, (c, a) -> query(view(c, a, false), a));
        dispatcher.on(Op.TYPED_VIEW_REDUCE, (c, a) -> reduce(view(c, a, false), a));
        dispatcher.on(Op.TYPED_VIEW_REDUCE_GROUPED, (c, a) -> reduceGrouped(view(c, a, false), a));
        dispatcher.on(Op.TYPED_VIEW_DELETE_DOCS, (c, a) -> LongNode.valueOf(deleteDocs(view(c, a, true), a)));
        dispatcher.on(Op.TYPED_VIEW_INFO, (c, a) -> Values.tree(view(c, a, false).info()));
    }

    private static <K, V> JsonNode query(ViewHandle<K, V> view, JsonNode a) {
        TypedQuery<K> query = TypedViewValues.query(a.path("query"), view.view().keyType());
        return a.path("docs").asBoolean(false)
                ? TypedViewValues.documentRows(view.queryWithDocs(query), view.view().keyType())
                : TypedViewValues.rows(view.query(query), view.view().keyType());
    }

    private static <K, V> JsonNode reduce(ViewHandle<K, V> view, JsonNode a) {
        return Values.tree(view.reduce(TypedViewValues.query(a.path("query"), view.view().keyType())));
    }

    /** With a group level the group keys go back as JSON, which the client reads with its own group key type. */
    private static <K, V> JsonNode reduceGrouped(ViewHandle<K, V> view, JsonNode a) {
        TypedQuery<K> query = TypedViewValues.query(a.path("query"), view.view().keyType());
        JsonNode level = a.get("groupLevel");
        if (level == null || level.isNull()) {
            return TypedViewValues.groups(view.reduceGrouped(query), view.view().keyType());
        }
        return TypedViewValues.groups(view.reduceGrouped(query, level.asInt(), TypedViewValues.AS_JSON), TypedViewValues.AS_JSON);
    }

    private static <K, V> long deleteDocs(ViewHandle<K, V> view, JsonNode a) {
        return view.deleteDocs(TypedViewValues.query(a.path("query"), view.view().keyType()));
    }

    /**
     * The view named by the arguments, registered on the server's database. A typed view's rows summarize every
     * document, so a caller narrowed to some documents may not query it: it needs {@code database.query_view} and
     * {@code database.read_document} on the whole database ({@code database.write_document} too to delete through it).
     */
    private static ViewHandle<?, ?> view(ProtocolConnection c, JsonNode a, boolean writes) {
        String db = requireText(a, "db");
        String name = requireText(a, "view");
        Caller caller = c.caller();
        caller.authorize(db, writes ? Access.WRITE : Access.READ);
        Permissions permissions = caller.access().permissions(caller.user(), db);
        if (!permissions.isAll()) {
            boolean readsAll = permissions.allowed(ResourceName.database(db), Action.DATABASE_QUERY_VIEW)
                    && permissions.documents(db, Action.DATABASE_READ_DOCUMENT) instanceof DocumentAccess.All;
            boolean writesAll = !writes || permissions.documents(db, Action.DATABASE_WRITE_DOCUMENT) instanceof DocumentAccess.All;
            if (!readsAll || !writesAll) {
                throw new ArborException.Forbidden("typed view " + name + " reads every document of " + db + ": it needs "
                        + "database.query_view and database.read_document" + (writes ? " and database.write_document" : "")
                        + " on the whole database");
            }
        }
        return caller.storage().database(db).typedViews().flatMap(views -> views.registered(name)).orElseThrow(() ->
                new ArborException.NotFound("no typed view " + name + " on database " + db + ": the server runs the views "
                        + "of the schemas its storage was opened with"));
    }

    /** Writes as the caller, so design documents' validation functions see who writes, as over HTTP. */
    private static JsonNode writeAtomically(Caller caller, String db, List<AtomicWrite> writes) {
        AtomicWrites atomic = caller.storage().database(db).atomicWrites().orElseThrow(() -> new ArborException.BadRequest(
                "not_supported", "database " + db + " cannot write several documents atomically on this server"));
        UserContext user = new UserContext(caller.user().name(), caller.user().roles());
        return UserContext.callAs(user, () -> Values.docResults(new ArrayList<DocResult>(atomic.bulkDocsAllOrNothing(writes))));
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
                continue; // the database refuses the whole batch for it, as it would an embedded caller's
            }
            permissions.check(ResourceName.document(db, id), Action.DATABASE_WRITE_DOCUMENT);
        }
        base.encryptionKey().ifPresent(key -> permissions.check(ResourceName.encryptionKey(key), Action.ENCRYPTION_ENCRYPT));
    }
}
