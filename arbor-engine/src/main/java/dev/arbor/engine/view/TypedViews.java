package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.CommitIndexer;
import dev.arbor.engine.db.StagedWrites;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The typed Java views of one engine database: registration, and the eager step the writer runs for every
 * document change ({@link CommitIndexer}).
 *
 * <p>Threads: registrations are serialised on this object. The list of eager views is replaced (never changed in
 * place) inside an exclusive writer task, so the writer sees a view either not at all or with its index caught up
 * to the commit before; the writer alone updates eager indexes after that, and queries of eager views never update
 * (an update from a query would race the writer over the same rows).
 */
public final class TypedViews implements CommitIndexer {
    private static final String DESIGN_PREFIX = "_design/";

    private final KvStore store;
    private final Database database;
    private final ViewUpdater updater;
    /** Runs a task as an exclusive writer task: no document commits while it runs. */
    private final Consumer<Runnable> exclusive;
    private final ConcurrentHashMap<String, TypedViewDefinition<?, ?>> byName = new ConcurrentHashMap<>();
    /** Read by the writer on every document change; replaced inside an exclusive writer task. */
    private volatile List<TypedViewDefinition<?, ?>> eager = List.of();

    public TypedViews(KvStore store, Database database, Consumer<Runnable> exclusive) {
        this.store = store;
        this.database = database;
        this.exclusive = exclusive;
        this.updater = new ViewUpdater(store);
    }

    /**
     * Registers a view (idempotent for the same name and version) and returns its handle. An eager or unique view
     * is caught up before this returns; a unique view whose documents already share a key is refused.
     *
     * @param verify check the view's index against its checkpoint and the by-seq log first, and rebuild it when
     *               they disagree
     */
    public synchronized <K, V> ViewHandle<K, V> register(TypedView<K, V> view, boolean verify) {
        TypedViewDefinition<K, V> definition = TypedViewDefinition.of(view);
        TypedViewDefinition<?, ?> registered = byName.get(view.name());
        if (registered != null && Arrays.equals(registered.signature(), definition.signature())
                && registered.view().updatePolicy() == view.updatePolicy() && !verify) {
            return new TypedViewHandle<>(this, definition);
        }
        if (!definition.eager()) {
            if (verify) {
                updater.verify(definition);
            }
            exclusive.accept(() -> eager = without(view.name()));
            byName.put(view.name(), definition);
            return new TypedViewHandle<>(this, definition);
        }
        ViewKeys.Checkpoint before = ViewKeys.Checkpoint.read(store, definition.signature());
        if (!verify) {
            // The bulk of a first build runs beside the writers; the exclusive task below only finishes it.
            updater.update(definition);
        }
        exclusive.accept(() -> {
            if (verify) {
                updater.verify(definition);
            }
            updater.update(definition);
            ViewKeys.Checkpoint after = ViewKeys.Checkpoint.read(store, definition.signature());
            boolean caughtUp = before == null || after == null || before.seq() != after.seq()
                    || before.purgeSeq() != after.purgeSeq();
            if (definition.unique(0) && caughtUp) {
                requireUnique(definition);
            }
            List<TypedViewDefinition<?, ?>> next = new ArrayList<>(without(view.name()));
            next.add(definition);
            eager = List.copyOf(next);
        });
        byName.put(view.name(), definition);
        return new TypedViewHandle<>(this, definition);
    }

    private List<TypedViewDefinition<?, ?>> without(String name) {
        return eager.stream().filter(d -> !d.name().equals(name)).toList();
    }

    /**
     * Rows written while the view was not eager (before registration) were not checked: neighbouring rows with one
     * key and two documents refuse the view.
     */
    private void requireUnique(TypedViewDefinition<?, ?> definition) {
        byte[] prefix = ViewKeys.viewPrefix(definition.signature(), 0);
        try (KvSnapshot snapshot = store.snapshot();
             KvCursor cursor = snapshot.scan(Space.VIEW_ROWS, prefix, ViewKeys.end(prefix), false)) {
            byte[] previousKey = null;
            String previousDoc = null;
            while (cursor.next()) {
                var row = Json.parse(cursor.value());
                byte[] key = KeyEncoding.encode(row.get(0));
                String doc = row.get(2).asText();
                if (previousKey != null && Arrays.equals(key, previousKey) && !doc.equals(previousDoc)) {
                    throw new ArborException.Conflict("unique view " + definition.name() + " cannot be registered: key "
                            + Json.text(row.get(0)) + " belongs to documents " + previousDoc + " and " + doc);
                }
                previousKey = key;
                previousDoc = doc;
            }
        }
    }

    // ---- the writer's eager step ---------------------------------------------------------------------------------

    @Override
    public boolean active() {
        return !eager.isEmpty();
    }

    @Override
    public void documentChanged(StagedWrites writes, String id, ObjectNode winner, long seq, long purgeSeq) {
        IndexTarget target = target(writes);
        ObjectNode doc = id.startsWith(DESIGN_PREFIX) ? null : winner;
        for (TypedViewDefinition<?, ?> definition : eager) {
            byte[] checkpoint = writes.get(Space.META, ViewKeys.checkpointKey(definition.signature()));
            long[] counts = checkpoint == null ? new long[1] : ViewKeys.Checkpoint.decode(checkpoint).rowCounts();
            try (ViewUpdater.Batch batch = updater.stagedBatch(definition, counts, target)) {
                batch.document(id, doc);
                batch.stage(seq, purgeSeq);
            }
        }
    }

    private static IndexTarget target(StagedWrites writes) {
        return new IndexTarget() {
            @Override
            public byte[] get(Space space, byte[] key) {
                return writes.get(space, key);
            }

            @Override
            public void put(Space space, byte[] key, byte[] value) {
                writes.put(space, key, value);
            }

            @Override
            public void delete(Space space, byte[] key) {
                writes.delete(space, key);
            }

            @Override
            public NavigableMap<byte[], byte[]> scan(Space space, byte[] from, byte[] to) {
                return writes.scan(space, from, to);
            }
        };
    }

    /** The signatures (hex) of the registered views' indexes, which {@code _view_cleanup} keeps. */
    public java.util.Set<String> liveSignatures() {
        java.util.Set<String> live = new java.util.HashSet<>();
        byName.values().forEach(definition -> live.add(definition.signatureHex()));
        return live;
    }

    // ---- for handles ---------------------------------------------------------------------------------------------

    KvStore store() {
        return store;
    }

    ViewUpdater updater() {
        return updater;
    }

    Database database() {
        return database;
    }

    /** Whether the writer keeps this definition's index (then queries must not update it). */
    boolean isEager(TypedViewDefinition<?, ?> definition) {
        return eager.stream().anyMatch(d -> Arrays.equals(d.signature(), definition.signature()));
    }
}
