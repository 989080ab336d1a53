package dev.arbor.engine.view;

import dev.arbor.api.TypedViews;
import dev.arbor.api.Views;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewSink;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;

import java.util.List;

/**
 * The {@link Views} and {@link TypedViews} of an engine database: JavaScript views of design documents
 * ({@link JavaScriptViews}) and typed Java views ({@link TypedViewRegistry}), cleaned up together.
 *
 * <p>Threads: callable from any thread; each call runs where its part says (queries on the caller's thread,
 * registrations serialised on the registry, eager views' updates on the writer's committing thread).
 */
public final class EngineViews implements Views, TypedViews {
    private final JavaScriptViews views;
    private final TypedViewRegistry typedViews;
    /** Cleans up what {@code _view_cleanup} also covers outside views (Mango's indexes). */
    private final Runnable alsoCleanup;

    public EngineViews(JavaScriptViews views, TypedViewRegistry typedViews, Runnable alsoCleanup) {
        this.views = views;
        this.typedViews = typedViews;
        this.alsoCleanup = alsoCleanup;
    }

    @Override
    public void query(String ddoc, String view, ViewQuery query, ViewSink sink) {
        views.query(ddoc, view, query, sink);
    }

    @Override
    public void reduceOver(String ddoc, String view, ViewQuery query, java.util.function.Predicate<String> emittedBy,
                           ViewSink sink) {
        views.query(ddoc, view, null, query, emittedBy, sink);
    }

    /** {@link dev.arbor.api.Partition#query}: the partition's rows of a partitioned view. */
    public void query(String ddoc, String view, String partition, ViewQuery query, ViewSink sink) {
        views.query(ddoc, view, partition, query, sink);
    }

    @Override
    public ViewIndexInfo viewInfo(String ddoc) {
        return views.info(ddoc);
    }

    @Override
    public void viewCleanup() {
        // Typed views live in Java code, not in design documents: the registered ones are live.
        views.cleanup(typedViews.liveSignatures());
        alsoCleanup.run(); // Mango indexes are views in CouchDB, cleaned up by the same request
    }

    @Override
    public <K, V> ViewHandle<K, V> view(TypedView<K, V> view) {
        return typedViews.register(view, false);
    }

    @Override
    public java.util.Optional<ViewHandle<?, ?>> registered(String name) {
        return typedViews.registered(name);
    }

    /**
     * Registers a typed view like {@link #view(TypedView)}; with {@code verify}, its index is first checked against
     * its checkpoint and the by-seq log and rebuilt when they disagree.
     */
    public <K, V> ViewHandle<K, V> view(TypedView<K, V> view, boolean verify) {
        return typedViews.register(view, verify);
    }

    @Override
    public List<ViewHandle<?, ?>> views(List<? extends TypedView<?, ?>> views) {
        return typedViews.registerAll(views, false);
    }

    /** Registers typed views together like {@link #views(List)}; with {@code verify}, as {@link #view(TypedView, boolean)}. */
    public List<ViewHandle<?, ?>> views(List<? extends TypedView<?, ?>> views, boolean verify) {
        return typedViews.registerAll(views, verify);
    }

    /**
     * Checks the index of every JavaScript design document against its checkpoint and the by-seq log (rows,
     * reductions, per-partition row counts, back-index) and clears each that disagrees, so its next query rebuilds
     * it. Returns the ids of the design documents cleared.
     */
    public List<String> verifyDesignViews() {
        return views.verify();
    }
}
