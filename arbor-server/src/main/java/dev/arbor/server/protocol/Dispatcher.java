package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.Overflow;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.server.http.Access;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import static dev.arbor.protocol.Values.requireText;

/**
 * The one table from operation to handler: storage, documents, the key-value store and pub/sub here, and each other
 * facet's rows registered by a class of its own ({@link LocalDocumentOps}, {@link MaintenanceOps}, {@link QueryOps},
 * {@link ChangesOps}, {@link AttachmentOps}, {@link LiveQueryOps}, {@link CollectionRows}, {@link CustomApiRows}). Each handler reads its arguments, calls the {@code Database} contract as
 * the connection's caller sees it ({@link Caller}), and returns the result's tree; one whose answer may be long streams
 * it first ({@link StreamHandler}). Stateless; handlers run on the requests' virtual threads.
 */
final class Dispatcher {

    /** One operation: the connection it came on, its arguments; returns the result (null node for none). */
    @FunctionalInterface
    interface Handler {
        JsonNode handle(ProtocolConnection connection, JsonNode args);
    }

    /** A streaming operation: also gets its request's streams, to send its answer in chunks or read an upload. */
    @FunctionalInterface
    interface StreamHandler {
        JsonNode handle(ProtocolConnection connection, JsonNode args, RequestStreams streams);
    }

    private final Map<Op, StreamHandler> handlers = new EnumMap<>(Op.class);

    Dispatcher() {
        this(new CustomApis().freeze());
    }

    Dispatcher(CustomApis apis) {
        // ---- storage
        on(Op.STORAGE_LIST, (c, a) -> {
            c.caller().authorize(null, Access.LIST_DATABASES);
            return Values.strings(c.caller().storage().listDatabases());
        });
        on(Op.STORAGE_CREATE, (c, a) -> {
            String name = requireText(a, "name");
            c.caller().authorize(name, Access.CREATE_DATABASE);
            c.caller().storage().createDatabase(name, a.path("partitioned").asBoolean(false));
            return NullNode.instance;
        });
        on(Op.STORAGE_DELETE, (c, a) -> {
            String name = requireText(a, "name");
            c.caller().authorize(name, Access.DELETE_DATABASE);
            c.caller().storage().deleteDatabase(name);
            return NullNode.instance;
        });
        // Unchecked: CouchDB already tells a database that exists (403 to a non-member) from one that does not (404).
        on(Op.STORAGE_EXISTS, (c, a) -> BooleanNode.valueOf(c.caller().storage().exists(requireText(a, "name"))));
        on(Op.DB_INFO, (c, a) -> Values.tree(read(c, a).info()));
        // As GET and PUT /db/_revs_limit: members read it, the database's admins set it.
        on(Op.DB_REVS_LIMIT, (c, a) -> IntNode.valueOf(read(c, a).revsLimit()));
        on(Op.DB_SET_REVS_LIMIT, (c, a) -> {
            c.caller().database(requireText(a, "db"), Access.DB_ADMIN).setRevsLimit(a.path("limit").asInt());
            return NullNode.instance;
        });

        // ---- documents
        on(Op.DOC_GET, (c, a) -> read(c, a).get(requireText(a, "id"), Values.getOptions(a.get("options"))));
        on(Op.DOC_OPEN_REVS, (c, a) -> {
            JsonNode revs = a.get("revs");
            return Values.openRevs(read(c, a).getOpenRevs(requireText(a, "id"),
                    revs == null || revs.isNull() ? null : Values.strings(revs), Values.getOptions(a.get("options"))));
        });
        on(Op.DOC_PUT, (c, a) -> Values.docResult(write(c, a).put(doc(a))));
        on(Op.DOC_POST, (c, a) -> Values.docResult(write(c, a).post(doc(a))));
        on(Op.DOC_REMOVE, (c, a) -> Values.docResult(write(c, a).remove(requireText(a, "id"), Values.text(a, "rev"))));
        on(Op.DOC_BULK_DOCS, (c, a) -> Values.docResults(write(c, a).bulkDocs(Values.objects(a.path("docs")),
                a.path("newEdits").asBoolean(true))));
        on(Op.DOC_ALL_DOCS, (c, a) -> Values.allDocsResult(read(c, a).allDocs(Values.allDocsOptions(a.get("options")))));
        on(Op.DOC_REVS_DIFF, (c, a) -> Values.revsDiff(read(c, a).revsDiff(Values.revs(a.path("revs")))));
        on(Op.DOC_BULK_GET, (c, a) -> Values.bulkGetResults(read(c, a).bulkGet(
                Values.bulkGetRequests(a.path("requests")), Values.getOptions(a.get("options")))));

        // ---- key-value store
        onStatementsOnly(Op.KV_GET, (c, a) -> Values.optionalValue(kv(c, a).get(requireText(a, "key"))));
        onStatementsOnly(Op.KV_SET, (c, a) -> Values.setResult(kv(c, a).set(requireText(a, "key"), Values.value(a.path("value")),
                Values.setOptions(a.path("options")))));
        onStatementsOnly(Op.KV_TAKE, (c, a) -> Values.optionalValue(kv(c, a).take(requireText(a, "key"))));
        onStatementsOnly(Op.KV_DELETE, (c, a) -> TextNode.valueOf(kv(c, a).delete(requireText(a, "key")).name()));
        onStatementsOnly(Op.KV_INCREMENT, (c, a) -> LongNode.valueOf(kv(c, a).increment(requireText(a, "key"), a.path("amount").asLong(),
                overflow(a.path("overflow")))));
        onStatementsOnly(Op.KV_INCREMENT_FLOAT, (c, a) -> DoubleNode.valueOf(kv(c, a).increment(requireText(a, "key"),
                a.path("amount").asDouble())));
        onStatementsOnly(Op.KV_DECREMENT, (c, a) -> LongNode.valueOf(kv(c, a).decrement(requireText(a, "key"), a.path("amount").asLong(),
                overflow(a.path("overflow")))));
        onStatementsOnly(Op.KV_DECREMENT_FLOAT, (c, a) -> DoubleNode.valueOf(kv(c, a).decrement(requireText(a, "key"),
                a.path("amount").asDouble())));
        onStatementsOnly(Op.KV_COMPARE_AND_SWAP, (c, a) -> Values.swapResult(kv(c, a).compareAndSwap(requireText(a, "key"),
                Values.optionalValue(a.get("expected")), Values.value(a.path("replacement")))));

        // ---- pub/sub: "db" names a database's pub/sub; without it, the storage's
        onStatementsOnly(Op.PUBSUB_PUBLISH, (c, a) -> IntNode.valueOf(c.caller().pubSub(Values.text(a, "db"))
                .publish(requireText(a, "topic"), a.path("payload"))));
        onStatementsOnly(Op.PUBSUB_PUBLISH_TO_ALL, (c, a) -> IntNode.valueOf(c.caller().pubSub(Values.text(a, "db"))
                .publishToAll(Set.copyOf(Values.strings(a.path("topics"))), a.path("payload"))));
        onStatementsOnly(Op.PUBSUB_SUBSCRIBER_CREATE, (c, a) -> LongNode.valueOf(c.subscribers().create(
                c.caller().pubSub(Values.text(a, "db")), a.path("capacity").asInt(dev.arbor.api.pubsub.PubSub.DEFAULT_CAPACITY))));
        onStatementsOnly(Op.PUBSUB_SUBSCRIBE, (c, a) -> {
            c.subscribers().get(a.path("subscriber").asLong()).subscribeTo(requireText(a, "topic"));
            return NullNode.instance;
        });
        onStatementsOnly(Op.PUBSUB_UNSUBSCRIBE, (c, a) -> {
            c.subscribers().get(a.path("subscriber").asLong()).unsubscribeFrom(requireText(a, "topic"));
            return NullNode.instance;
        });
        onStatementsOnly(Op.PUBSUB_SUBSCRIBER_CLOSE, (c, a) -> {
            c.subscribers().close(a.path("subscriber").asLong());
            return NullNode.instance;
        });

        // ---- the other facets, a class each
        LocalDocumentOps.register(this);
        MaintenanceOps.register(this);
        QueryOps.register(this);
        ChangesOps.register(this);
        AttachmentOps.register(this);
        LiveQueryOps.register(this);
        CollectionRows.register(this);
        CustomApiRows.register(this, apis);
    }

    /**
     * A storage or documents operation: run as the caller's request, so the guards of the system databases ({@code _users},
     * {@code _permissions}) and the narrowing to the caller's documents see the caller, as over HTTP. The key-value store
     * and pub/sub have no HTTP route and are checked by the caller's statements alone ({@link Caller#permitted}).
     */
    void on(Op op, Handler handler) {
        onStream(op, (c, a, s) -> handler.handle(c, a));
    }

    /** A row whose answer streams: run as the caller's request, as {@link #on}'s are. */
    void onStream(Op op, StreamHandler handler) {
        handlers.put(op, (c, a, s) -> c.caller().access().asCaller(c.caller().user(), () -> handler.handle(c, a, s)));
    }

    void onStatementsOnly(Op op, Handler handler) {
        handlers.put(op, (c, a, s) -> handler.handle(c, a));
    }

    /** The operations with no handler: none, or the table is missing a row. */
    Set<Op> unhandled() {
        Set<Op> missing = java.util.EnumSet.allOf(Op.class);
        missing.removeAll(handlers.keySet());
        return missing;
    }

    JsonNode dispatch(ProtocolConnection connection, dev.arbor.protocol.Frame.Request request, RequestStreams streams) {
        Op op = Op.byWireName(request.op()).orElseThrow(() ->
                new ArborException.BadRequest("bad_request", "unknown operation \"" + request.op() + "\""));
        return handlers.get(op).handle(connection, request.args(), streams);
    }

    private static dev.arbor.api.Database read(ProtocolConnection c, JsonNode a) {
        return c.caller().database(requireText(a, "db"), Access.READ);
    }

    private static dev.arbor.api.Database write(ProtocolConnection c, JsonNode a) {
        return c.caller().database(requireText(a, "db"), Access.WRITE);
    }

    private static KeyValueStore kv(ProtocolConnection c, JsonNode a) {
        String db = requireText(a, "db");
        KeyValueStore store = c.caller().permitted(db).keyValue()
                .orElseThrow(() -> new ArborException.BadRequest("bad_request", "database " + db + " has no key-value store"));
        String namespace = Values.text(a, "namespace");
        return namespace == null || namespace.isEmpty() ? store : store.namespace(namespace);
    }

    private static ObjectNode doc(JsonNode a) {
        if (!(a.get("doc") instanceof ObjectNode doc)) {
            throw new ArborException.BadRequest("bad_request", "argument \"doc\" must be a JSON object");
        }
        return doc;
    }

    private static Overflow overflow(JsonNode node) {
        try {
            return node.isMissingNode() || node.isNull() ? Overflow.SATURATE : Overflow.valueOf(node.asText());
        } catch (IllegalArgumentException e) {
            throw new ArborException.BadRequest("bad_request", "unknown overflow " + node);
        }
    }
}
