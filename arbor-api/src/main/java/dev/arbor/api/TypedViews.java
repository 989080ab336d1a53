package dev.arbor.api;

import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Views whose map is Java code ({@link TypedView}). Java code runs where it is defined, so only embedded databases
 * have this facet ({@link Database#typedViews()}).
 */
public interface TypedViews {

    /**
     * Registers a typed Java view (idempotent: the same name and version give the same index) and returns its
     * handle. Eager and unique views are brought up to date before this returns; a unique view over documents that
     * already share a key is refused ({@code 409 conflict}).
     */
    <K, V> ViewHandle<K, V> view(TypedView<K, V> view);

    /**
     * Registers typed views together, each as {@link #view} does, and returns their handles in the same order.
     * Views registered together share their index passes: a document is read and decoded once for all of them
     * (each keeps its own index and version). {@code ArborOptions.views} registers its list this way.
     */
    default List<ViewHandle<?, ?>> views(List<? extends TypedView<?, ?>> views) {
        List<ViewHandle<?, ?>> handles = new ArrayList<>(views.size());
        views.forEach(view -> handles.add(view(view)));
        return handles;
    }

    /**
     * The view registered under {@code name}, as its handle: how a server answers a client that names a view of the
     * schema the server's storage was opened with, since the view's Java code runs where the data is. Empty when no
     * view has that name (or the backend cannot look views up by name).
     */
    default java.util.Optional<ViewHandle<?, ?>> registered(String name) {
        return java.util.Optional.empty();
    }
}
