package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.index.ChangedDocument;
import dev.arbor.engine.index.IndexUpdater;
import dev.arbor.engine.store.CommitIndexer;
import dev.arbor.engine.store.StagedWrites;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
public final class TypedViewRegistry implements CommitIndexer {
    private final KvStore store;
    private final Database database;
    private final IndexUpdater updater;
    /** Runs a task as an exclusive writer task: no document commits while it runs. */
    private final Consumer<Runnable> exclusive;
    private final ConcurrentHashMap<String, TypedViewDefinition<?, ?>> byName = new ConcurrentHashMap<>();
    /**
     * The group each lazy view was last registered in ({@link #registerAll}): a query of one brings all of them up
     * to date in one pass. A view registered alone has none.
     */
    private final ConcurrentHashMap<String, ViewGroup> groupOf = new ConcurrentHashMap<>();
    /** Read by the writer on every document change; replaced inside an exclusive writer task. */
    private volatile List<TypedViewDefinition<?, ?>> eager = List.of();

    public TypedViewRegistry(KvStore store, IndexUpdater updater, Database database, Consumer<Runnable> exclusive) {
        this.store = store;
        this.updater = updater;
        this.database = database;
        this.exclusive = exclusive;
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
        if (isRegistered(definition) && !verify) {
            return new TypedViewHandle<>(this, definition);
        }
        groupOf.remove(view.name());
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
            updater.update(definition, StoredDocs.state(store));
        }
        exclusive.accept(() -> {
            if (verify) {
                updater.verify(definition);
            }
            updater.update(definition, StoredDocs.state(store));
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

    /**
     * Registers views together, as {@link #register} does each, and makes them one group: their indexes are built
     * and caught up in shared passes over the by-seq log, each document read and decoded once for all of them.
     * Lazy views share the passes their queries start; eager ones share the first build at registration (after
     * that the writer keeps each, from one decoded document per change). Each view keeps its own index and version:
     * a new version of one rebuilds that one only. Returns the handles in the order of {@code views}.
     */
    public synchronized List<ViewHandle<?, ?>> registerAll(List<? extends TypedView<?, ?>> views, boolean verify) {
        List<TypedViewDefinition<?, ?>> definitions = views.stream()
                .<TypedViewDefinition<?, ?>>map(TypedViewDefinition::of).toList();
        if (!verify) {
            List<TypedViewDefinition<?, ?>> newEager = definitions.stream()
                    .filter(definition -> definition.eager() && !isRegistered(definition)).toList();
            if (newEager.size() > 1) {
                // The bulk of their first builds, in one pass beside the writers; each registration finishes its own.
                updater.update(newEager, StoredDocs.state(store));
            }
        }
        List<ViewHandle<?, ?>> handles = new ArrayList<>(views.size());
        views.forEach(view -> handles.add(register(view, verify)));
        ViewGroup group = new ViewGroup(definitions.stream()
                .filter(definition -> !definition.eager()).map(TypedViewDefinition::name).toList());
        group.names().forEach(name -> groupOf.put(name, group));
        return handles;
    }

    /** The view registered under {@code name}, as it was registered last. */
    java.util.Optional<ViewHandle<?, ?>> registered(String name) {
        TypedViewDefinition<?, ?> definition = byName.get(name);
        return definition == null ? java.util.Optional.empty() : java.util.Optional.of(handle(definition));
    }

    private <K, V> ViewHandle<K, V> handle(TypedViewDefinition<K, V> definition) {
        return new TypedViewHandle<>(this, definition);
    }

    /** The views registered together in one {@link #registerAll} call (an identity: a later call makes a new one). */
    private static final class ViewGroup {
        private final List<String> names;

        ViewGroup(List<String> names) {
            this.names = names;
        }

        List<String> names() {
            return names;
        }
    }

    /** Whether this very definition (name, version, update policy) is registered. */
    private boolean isRegistered(TypedViewDefinition<?, ?> definition) {
        TypedViewDefinition<?, ?> registered = byName.get(definition.name());
        return registered != null && Arrays.equals(registered.signature(), definition.signature())
                && registered.view().updatePolicy() == definition.view().updatePolicy();
    }

    /**
     * The indexes a query-driven update of {@code definition} brings up to date in one pass: it, and the other lazy
     * views still registered in its group.
     */
    List<ViewDefinition> passFor(TypedViewDefinition<?, ?> definition) {
        ViewGroup group = groupOf.get(definition.name());
        List<ViewDefinition> pass = new ArrayList<>();
        pass.add(definition);
        if (group != null) {
            for (String name : group.names()) {
                TypedViewDefinition<?, ?> member = byName.get(name);
                if (groupOf.get(name) == group && member != null && !member.eager()) {
                    pass.add(member);
                }
            }
        }
        return pass;
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
             KvCursor cursor = snapshot.scan(ViewSpaces.ROWS, prefix, ViewKeys.end(prefix), false)) {
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
        // One instance for all eager views: the document is decoded (the body without specials) once.
        ChangedDocument document = ChangedDocument.fromCommit(id, seq, winner);
        for (TypedViewDefinition<?, ?> definition : eager) {
            updater.stageInCommit(definition, writes, document, purgeSeq);
        }
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

    IndexUpdater updater() {
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
