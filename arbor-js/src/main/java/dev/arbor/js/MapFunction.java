package dev.arbor.js;

import java.util.List;

/**
 * A view's JavaScript map function. Thread-safe: each call runs in a sandbox of its own.
 */
public final class MapFunction {
    private final SandboxPool pool;
    private final int view;
    private final String source;

    MapFunction(SandboxPool pool, int view, String source) {
        this.pool = pool;
        this.view = view;
        this.source = source;
    }

    /**
     * The rows the function emits for a document given as its JSON text (parsed by {@code JSON.parse}
     * in JavaScript, the fast path, and frozen as CouchDB freezes it). A JavaScript error skips the
     * document for this view: it is logged (see {@link JsOptions#log()}) and nothing is emitted.
     */
    public List<Emit> map(String docJson) {
        return pool.with(sandbox -> sandbox.map(view, docJson));
    }

    /** The source as stored in the design document. */
    public String source() {
        return source;
    }
}
