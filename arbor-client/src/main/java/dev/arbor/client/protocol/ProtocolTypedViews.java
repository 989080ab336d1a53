package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.TypedViews;
import dev.arbor.api.key.Key;
import dev.arbor.api.view.typed.DocumentRow;
import dev.arbor.api.view.typed.GroupedReduction;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedRow;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.api.view.typed.ViewInfo;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.TypedViewValues;
import dev.arbor.protocol.Values;

import java.util.List;

/**
 * Typed views of a server's database, by name: their Java code runs on the server, whose storage was opened with the
 * schema that declares them; here they are the same view's key and value types, to write queries and read rows.
 * {@link #view} checks that the server has the view at the same version, so the two ends agree on what a row means.
 * Thread-safe, as the connection is.
 */
final class ProtocolTypedViews implements TypedViews {
    private final ReconnectingConnection connection;
    private final String db;

    ProtocolTypedViews(ReconnectingConnection connection, String db) {
        this.connection = connection;
        this.db = db;
    }

    /** Does not register anything: the server has the view, or this is {@code not_found}. */
    @Override
    public <K, V> ViewHandle<K, V> view(TypedView<K, V> view) {
        JsonNode served = connection.call(Op.TYPED_VIEW_OPEN, Values.object().put("db", db).put("view", view.name()));
        if (served.path("version").asLong() != view.version()) {
            throw new ArborException.BadRequest("view_version_mismatch", "typed view " + view.name() + " is version "
                    + served.path("version").asLong() + " on the server, " + view.version() + " here: both ends need the same schema");
        }
        return new Handle<>(view);
    }

    private final class Handle<K, V> implements ViewHandle<K, V> {
        private final TypedView<K, V> view;

        Handle(TypedView<K, V> view) {
            this.view = view;
        }

        private ObjectNode args(TypedQuery<K> query) {
            ObjectNode args = Values.object().put("db", db).put("view", view.name());
            args.set("query", TypedViewValues.query(query, view.keyType()));
            return args;
        }

        @Override
        public TypedView<K, V> view() {
            return view;
        }

        @Override
        public List<TypedRow<K, V>> query(TypedQuery<K> query) {
            return TypedViewValues.rows(connection.call(Op.TYPED_VIEW_QUERY, args(query)), view.keyType(), view.valueType());
        }

        @Override
        public List<DocumentRow<K, V>> queryWithDocs(TypedQuery<K> query) {
            return TypedViewValues.documentRows(connection.call(Op.TYPED_VIEW_QUERY, args(query).put("docs", true)),
                    view.keyType(), view.valueType());
        }

        @Override
        public V reduce(TypedQuery<K> query) {
            return TypedViewValues.value(connection.call(Op.TYPED_VIEW_REDUCE, args(query)), view.valueType());
        }

        @Override
        public List<GroupedReduction<K, V>> reduceGrouped(TypedQuery<K> query) {
            return TypedViewValues.groups(connection.call(Op.TYPED_VIEW_REDUCE_GROUPED, args(query)), view.keyType(),
                    view.valueType());
        }

        @Override
        public <G> List<GroupedReduction<G, V>> reduceGrouped(TypedQuery<K> query, int groupLevel, Key<G> groupKey) {
            return TypedViewValues.groups(connection.call(Op.TYPED_VIEW_REDUCE_GROUPED, args(query).put("groupLevel", groupLevel)),
                    groupKey, view.valueType());
        }

        @Override
        public long deleteDocs(TypedQuery<K> query) {
            return connection.call(Op.TYPED_VIEW_DELETE_DOCS, args(query)).asLong();
        }

        @Override
        public ViewInfo info() {
            return Values.record(connection.call(Op.TYPED_VIEW_INFO, Values.object().put("db", db).put("view", view.name())),
                    ViewInfo.class);
        }
    }
}
