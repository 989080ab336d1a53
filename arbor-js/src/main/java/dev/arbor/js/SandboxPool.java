package dev.arbor.js;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The sandboxes of one design document. A caller takes one, uses it alone, and gives it back, so a
 * sandbox is never used by two threads at once, while threads (platform or virtual) that come and go
 * reuse warm sandboxes instead of building one each (a sandbox costs a global scope and an evaluation of
 * every function). Sandboxes beyond {@link #MAX_IDLE} idle ones are dropped when returned.
 */
final class SandboxPool {
    static final int MAX_IDLE = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final DesignDocScripts scripts;
    private final JsOptions options;
    private final ConcurrentLinkedDeque<Sandbox> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    /** Builds the first sandbox now, so that functions that do not evaluate to functions fail at compile time. */
    SandboxPool(DesignDocScripts scripts, JsOptions options) {
        this.scripts = scripts;
        this.options = options;
        release(new Sandbox(scripts, options));
    }

    /** Runs {@code work} on a sandbox that no other thread uses meanwhile. */
    <T> T with(Function<Sandbox, T> work) {
        Sandbox sandbox = idle.pollFirst();
        if (sandbox != null) {
            idleCount.decrementAndGet();
        } else {
            sandbox = new Sandbox(scripts, options);
        }
        try {
            return work.apply(sandbox);
        } finally {
            release(sandbox);
        }
    }

    private void release(Sandbox sandbox) {
        if (idleCount.incrementAndGet() <= MAX_IDLE) {
            idle.offerFirst(sandbox);
        } else {
            idleCount.decrementAndGet();
        }
    }
}
