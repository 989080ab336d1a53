package dev.arbor.engine.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewUpdatePolicy;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.js.MapRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One typed Java view as the index engine sees it: a definition with a single view (ordinal 0) whose rows are the
 * JSON forms of its typed keys and values. Each typed view has an index of its own, so a new version of one view
 * re-indexes that view only.
 *
 * @param signature a digest of the view's name, version and the ICU version behind string keys
 * @param reducible whether the view has a reduce (its default one throws {@link UnsupportedOperationException})
 */
record TypedViewDefinition<K, V>(TypedView<K, V> view, byte[] signature, boolean reducible) implements ViewDefinition {
    private static final System.Logger LOG = System.getLogger(TypedViewDefinition.class.getName());

    static <K, V> TypedViewDefinition<K, V> of(TypedView<K, V> view) {
        String identity = String.join("\u0000", "typed", view.name(), Long.toString(view.version()),
                KeyEncoding.ICU_COLLATOR_VERSION, ViewKeys.LAYOUT);
        return new TypedViewDefinition<>(view, ViewDefinition.signatureOf(identity), probeReduce(view));
    }

    /** A view without a reduce keeps the default, which throws; any other outcome of an empty call means it has one. */
    private static boolean probeReduce(TypedView<?, ?> view) {
        try {
            view.reduce(List.of(), false);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    String name() {
        return view.name();
    }

    boolean eager() {
        return view.updatePolicy() != ViewUpdatePolicy.LAZY;
    }

    @Override
    public String id() {
        return "typed view " + view.name();
    }

    @Override
    public List<String> views() {
        return List.of(view.name());
    }

    @Override
    public boolean unique(int ordinal) {
        return view.updatePolicy() == ViewUpdatePolicy.UNIQUE;
    }

    /**
     * Maps the body without {@code _id} and {@code _rev} (they are the document's id and rev). The body is read on
     * demand (only as far as the members the view asks for), once per pass, and shared by the views of a group:
     * {@link MappedDocument} forbids modifying it.
     */
    @Override
    public List<List<Emitted>> map(IndexedDocument doc) {
        String id = doc.id();
        List<Emitted> emits = new ArrayList<>();
        try {
            view.map(new MappedDocument(id, doc.rev(), doc), (key, value) -> {
                if (key == null) {
                    throw new IllegalArgumentException("view " + view.name() + " emitted a null key for " + id);
                }
                emits.add(new Emitted(view.keyType().toJson(key), valueJson(value), new MappedValue<>(key, value)));
            });
        } catch (RuntimeException failure) {
            return List.of(mapFailed(id, failure));
        }
        return List.of(emits);
    }

    /**
     * A map that throws on a document. A lazy view skips the document (no rows, what it emitted before the throw
     * included) and logs it, as CouchDB does for a JavaScript map error: one bad document must not make the view
     * unqueryable. An eager or unique view maps inside the document's write, so the write fails instead, atomically,
     * with {@code map_runtime_error} (a 400: that document cannot be indexed by the view); in a {@code _bulk_docs}
     * only that document fails.
     */
    private List<Emitted> mapFailed(String id, RuntimeException failure) {
        if (eager()) {
            throw new ArborException.BadRequest("map_runtime_error", "view " + view.name() + " failed to map document "
                    + id + ": " + failure, failure);
        }
        LOG.log(System.Logger.Level.WARNING, "view " + view.name() + " skips document " + id
                + ": its map threw " + failure, failure);
        return List.of();
    }

    @Override
    public Optional<ViewReduce> reduce(int ordinal) {
        return reducible ? Optional.of(new TypedReduce()) : Optional.empty();
    }

    JsonNode keyJson(K key) {
        return view.keyType().toJson(key);
    }

    K key(JsonNode json) {
        return view.keyType().fromJson(json);
    }

    /**
     * A value as JSON. The common scalar types skip Jackson's databind (type lookup, a token buffer), which a build
     * profile showed as most of a typed reduce's cost: every row's value and every reduction passes here.
     */
    static JsonNode valueJson(Object value) {
        return switch (value) {
            case null -> NullNode.instance;
            case Long l -> com.fasterxml.jackson.databind.node.LongNode.valueOf(l);
            case Integer i -> com.fasterxml.jackson.databind.node.IntNode.valueOf(i);
            case Double d -> com.fasterxml.jackson.databind.node.DoubleNode.valueOf(d);
            case String text -> com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
            case Boolean b -> com.fasterxml.jackson.databind.node.BooleanNode.valueOf(b);
            default -> Json.MAPPER.valueToTree(value);
        };
    }

    V value(JsonNode json) {
        if (json == null || json.isNull()) {
            return null;
        }
        // The scalar types read directly when the JSON is exactly of that kind (what Jackson would do too);
        // anything else, coercions included, goes through Jackson.
        Class<V> type = view.valueType();
        if (type == Long.class && json.isIntegralNumber() && json.canConvertToLong()) {
            return type.cast(json.longValue());
        }
        if (type == Integer.class && json.isIntegralNumber() && json.canConvertToInt()) {
            return type.cast(json.intValue());
        }
        if (type == Double.class && json.isFloatingPointNumber()) {
            return type.cast(json.doubleValue());
        }
        if (type == String.class && json.isTextual()) {
            return type.cast(json.textValue());
        }
        if (type == Boolean.class && json.isBoolean()) {
            return type.cast(json.booleanValue());
        }
        try {
            return Json.MAPPER.treeToValue(json, view.valueType());
        } catch (JsonProcessingException e) {
            throw new ArborException.Internal("view " + view.name() + ": stored value does not read as "
                    + view.valueType().getName() + ": " + json, e);
        }
    }

    /**
     * The view's reduce over JSON rows: keys and values read into {@code K} and {@code V}, the result written back
     * as JSON. Rows the index pass just mapped come with the objects the view emitted, which skips the conversion
     * (a record key is rebuilt by reflection).
     */
    private final class TypedReduce implements ViewReduce {
        @Override
        public JsonNode reduce(List<MapRow> rows) {
            List<MappedValue<K, V>> mappings = new ArrayList<>(rows.size());
            rows.forEach(row -> mappings.add(new MappedValue<>(key(row.key()), value(row.value()))));
            return valueJson(view.reduce(mappings, false));
        }

        @Override
        @SuppressWarnings("unchecked") // the objects this definition's map emitted, so of K and V
        public JsonNode reduce(List<MapRow> rows, List<Object> mapped) {
            return valueJson(view.reduce((List<MappedValue<K, V>>) (List<?>) mapped, false));
        }

        @Override
        public JsonNode rereduce(List<JsonNode> reductions) {
            List<MappedValue<K, V>> mappings = new ArrayList<>(reductions.size());
            reductions.forEach(reduction -> mappings.add(new MappedValue<>(null, value(reduction))));
            return valueJson(view.reduce(mappings, true));
        }
    }
}
