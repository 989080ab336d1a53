package dev.arbor.js;

import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;

/**
 * Rhino as Arbor configures it: the newest language level, compiled mode (JavaScript becomes JVM
 * bytecode, the fastest option measured in DESIGN.md), and no access to Java classes from scripts.
 * A {@link Context} is confined to the thread that entered it; see {@link Sandbox}.
 *
 * <p>Time limit: compiled code counts what it executes, and every {@link #OBSERVE_EVERY} instructions Rhino calls
 * {@link #observeInstructionCount}, which stops the call once its {@link TimedContext#deadline} has passed by
 * throwing {@link Timeout}, a Java {@link Error} that JavaScript {@code catch} cannot intercept.
 */
final class JsEngine extends ContextFactory {
    static final JsEngine INSTANCE = new JsEngine();
    /** Rhino instructions between two looks at the clock: rare enough to cost nothing measurable per map call. */
    static final int OBSERVE_EVERY = 10_000;

    private JsEngine() {}

    /** A context with the deadline of the design function call running in it. Confined to its thread. */
    static final class TimedContext extends Context {
        private boolean armed;
        private long deadline;

        private TimedContext(ContextFactory factory) {
            super(factory);
        }

        /** Starts the clock of one call. */
        void arm(java.time.Duration timeout) {
            deadline = System.nanoTime() + timeout.toNanos();
            armed = true;
        }

        boolean expired() {
            return armed && System.nanoTime() - deadline > 0;
        }
    }

    /** Thrown into a design function that ran past its deadline; unwinds it without running JavaScript handlers. */
    static final class Timeout extends Error {
        Timeout() {
            super("design function ran past os_process_timeout", null, false, false);
        }
    }

    @Override
    protected void observeInstructionCount(Context cx, int instructionCount) {
        if (cx instanceof TimedContext timed && timed.expired()) {
            throw new Timeout();
        }
    }

    @Override
    protected Context makeContext() {
        Context cx = new TimedContext(this);
        cx.setGenerateObserverCount(true);
        cx.setInstructionObserverThreshold(OBSERVE_EVERY);
        cx.setLanguageVersion(Context.VERSION_ECMASCRIPT);
        cx.setInterpretedMode(false);
        // Design documents come from database users: no LiveConnect, no reflection into the JVM.
        cx.setClassShutter(className -> false);
        return cx;
    }
}
