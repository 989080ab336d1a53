package dev.arbor.js;

import dev.arbor.js.link.MeteredBootstrap;
import org.mozilla.javascript.CompilerEnvirons;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;
import org.mozilla.javascript.ErrorReporter;
import org.mozilla.javascript.Evaluator;
import org.mozilla.javascript.GeneratedClassLoader;
import org.mozilla.javascript.Scriptable;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Rhino as Arbor configures it: the newest language level, compiled mode (JavaScript becomes JVM
 * bytecode, the fastest option measured in DESIGN.md), and no access to Java classes from scripts.
 * A {@link Context} is confined to the thread that entered it; see {@link Sandbox}.
 *
 * <p>Time limit: compiled code counts what it executes, and every {@link #OBSERVE_EVERY} instructions Rhino calls
 * {@link #observeInstructionCount}, which stops the call once its {@link TimedContext#deadline} has passed by
 * throwing {@link Timeout}, a Java {@link Error} that JavaScript {@code catch} cannot intercept.
 *
 * <p>Memory budget: the same observation, and the other checkpoints of {@link TimedContext}, stop a call that has
 * allocated more than {@link JsOptions#memoryBudget()} with {@link MemoryBudgetExceeded}, an Error as well. Besides
 * the observer, the checkpoints are: long strings made and flattened ({@link MeteredBootstrap}, wired in by
 * {@link #createClassLoader}), built-in functions ({@link BuiltinGuards}) and conversion to JSON ({@link JsToJson}).
 */
final class JsEngine extends ContextFactory {
    static final JsEngine INSTANCE = new JsEngine();
    /**
     * Rhino instructions between two looks at the clock and the allocation meter: rare enough to cost nothing
     * measurable per map call, often enough that a loop allocating JavaScript objects gets a few MB past the budget
     * at most (a loop pushing 10,000-element arrays runs about 130 times between two looks: 5 MB). Built-ins, which
     * can allocate far more per instruction, have checkpoints of their own.
     */
    static final int OBSERVE_EVERY = 10_000;

    private JsEngine() {}

    /**
     * A context with the deadline and the memory budget of the design function call running in it. Confined to its
     * thread.
     *
     * <p>Allocation is metered per platform thread ({@link AllocationMeter}), garbage included: a call that churns
     * through short-lived objects pays for them too, which is conservative. Checkpoints look at the meter at most
     * every {@link #LOOK_EVERY_NANOS}, and reservations over {@link #UNCHECKED_RESERVATION} always: a look costs 0.1
     * to 0.2 µs, and a thread cannot allocate more than a few MB in that time (memory is written as it is allocated).
     * The meter starts at the call's first look, not when the call starts, so most map calls never read it; what a
     * call allocates before is small by the same argument, and not counted.
     *
     * <p>A virtual thread has no meter of its own. There a call is bounded instead by what all threads allocate
     * meanwhile (a look costs about 0.4 µs). While the bound is within the budget the call goes on; when it is not,
     * which on a busy server can be other threads' doing, the call stops with {@link NeedsMeteredThread} and
     * {@link SandboxPool} runs it again, from the start, on a platform thread where its own allocation is metered.
     */
    static final class TimedContext extends Context implements MeteredBootstrap.LongStringListener {
        /** Reservations made without reading the meter: reading it costs more than they can. */
        static final long UNCHECKED_RESERVATION = 64 << 10;
        /**
         * Where the JVM cannot count all threads' allocation: the checkpoints a call on a virtual thread may pass
         * before it moves. One observation can come early (the instruction count carries over from earlier calls), a
         * second one means the call has done real work.
         */
        static final int UNBOUNDED_CHECKPOINTS = 2;
        /** The least time between two looks at the meter from checkpoints (reservations look whenever they must). */
        static final long LOOK_EVERY_NANOS = 50_000;
        /** Built-in calls between two checkpoints (see {@link BuiltinGuards}): rare enough to cost nothing. */
        static final int BUILTIN_CALLS_PER_CHECKPOINT = 256;
        /**
         * What compiling a source costs per character, reserved before {@code eval} or {@code new Function} compile
         * one during a call: measured on Rhino 1.9.2, 96 to 120 bytes for libraries (esprima, acorn), 115 for the
         * densest source ({@code 'x=1;'} repeated). Half of that: eval of a source twice as large as what the budget
         * can compile fails before compiling, a smaller one is metered as it compiles.
         */
        static final long COMPILE_BYTES_PER_CHAR = 64;
        private static final long UNREAD = Long.MIN_VALUE;

        private boolean armed;
        private long deadline;
        private long budget;
        /** Whether the meter counts this thread's allocation alone (a platform thread) rather than bounding it. */
        private boolean ownMeter;
        /** The meter at the call's first checkpoint; UNREAD before it. */
        private long meterAtStart = UNREAD;
        private long lastLook;
        private int unboundedCheckpoints;
        private int builtinCalls;
        private boolean charging = true;

        private TimedContext(ContextFactory factory) {
            super(factory);
        }

        /**
         * Starts the clock of one call: it must end by {@code deadline} (a nanoTime) within {@code budget} bytes,
         * metered from {@link #startMeter()} on.
         */
        void arm(long deadline, long budget) {
            this.deadline = deadline;
            this.budget = budget;
            ownMeter = true;
            meterAtStart = UNREAD;
            armed = true;
        }

        /** Meters from here: what the call allocated before (parsing its arguments) is the server's work, not the function's. */
        void startMeter() {
            ownMeter = !Thread.currentThread().isVirtual();
            meterAtStart = UNREAD;
            lastLook = System.nanoTime();
            unboundedCheckpoints = 0;
        }

        void disarm() {
            armed = false;
        }

        boolean armed() {
            return armed;
        }

        long deadline() {
            return deadline;
        }

        boolean expired() {
            return armed && System.nanoTime() - deadline > 0;
        }

        /** What is left of the budget (for a call on a virtual thread, of its bound, which errs on the small side). */
        long headroom() {
            long meter = meterAtStart == UNREAD ? -1 : reading();
            return meter < 0 ? budget : Math.max(0, budget - (meter - meterAtStart));
        }

        /** At the end of a call that reached a checkpoint: stops it if it allocated more than its budget since. */
        void finalCheckpoint() {
            if (armed && ownMeter && meterAtStart != UNREAD) {
                long meter = reading();
                if (meter >= 0 && meter - meterAtStart > budget) {
                    throw new MemoryBudgetExceeded();
                }
            }
        }

        /**
         * Stops the call if it has allocated more than its budget, or moves it if it cannot tell and should; and stops
         * it if it is past its deadline, for the built-ins that call built-ins in a loop of their own (spreading an
         * iterator), where the instruction observer does not look.
         */
        void checkpoint() {
            if (!armed) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastLook < LOOK_EVERY_NANOS) {
                return;
            }
            lastLook = now;
            if (now - deadline > 0) {
                throw new Timeout();
            }
            check(0);
        }

        /** Before work of about {@code nanos} that nothing can interrupt: stops the call if it would end past its deadline. */
        void reserveTime(long nanos) {
            if (armed && nanos > deadline - System.nanoTime()) {
                throw new Timeout();
            }
        }

        /** Before an allocation of about {@code bytes} that would happen at once: stops the call if it would not fit. */
        void reserve(long bytes) {
            if (!armed || bytes <= 0) {
                return;
            }
            if (bytes > budget) {
                throw new MemoryBudgetExceeded();
            }
            if (bytes > UNCHECKED_RESERVATION) {
                check(bytes);
            }
        }

        private void check(long bytes) {
            long meter = reading();
            if (meter < 0) {
                if (!ownMeter && AllocationMeter.platformThreadsAreMetered() && ++unboundedCheckpoints >= UNBOUNDED_CHECKPOINTS) {
                    throw new NeedsMeteredThread(deadline);
                }
                return; // nothing to go by: the guards' reservations against the whole budget are all there is
            }
            if (meterAtStart == UNREAD) {
                meterAtStart = meter;
            }
            if (meter - meterAtStart + bytes > budget) {
                if (ownMeter) {
                    throw new MemoryBudgetExceeded();
                }
                if (AllocationMeter.platformThreadsAreMetered()) {
                    throw new NeedsMeteredThread(deadline);
                }
            }
        }

        /** This platform thread's allocation, or all threads' on a virtual thread; -1 when the JVM does not count. */
        private long reading() {
            return ownMeter ? AllocationMeter.currentThread() : AllocationMeter.allThreads();
        }

        /** Counts a built-in call; true every {@link #BUILTIN_CALLS_PER_CHECKPOINT}th. */
        boolean builtinCallDue() {
            if (++builtinCalls < BUILTIN_CALLS_PER_CHECKPOINT) {
                return false;
            }
            builtinCalls = 0;
            return true;
        }

        /**
         * Refuses a string that could never be flattened within the budget, as JavaScript engines refuse strings
         * over their maximum length: nothing could be done with it but ask its length.
         */
        @Override
        public void madeLongString(int length) {
            if (armed && (length < 0 || BuiltinGuards.FLATTEN_BYTES_PER_CHAR * length > budget)) {
                throw new MemoryBudgetExceeded();
            }
        }

        @Override
        public void flatteningLongString(int length) {
            reserve(BuiltinGuards.FLATTEN_BYTES_PER_CHAR * length);
        }

        /** Runs {@code work} without charging what it allocates to the call (nor reserving what it compiles). */
        <T> T uncharged(Supplier<T> work) {
            long before = armed && meterAtStart != UNREAD ? reading() : -1;
            boolean wasCharging = charging;
            charging = false;
            try {
                return work.get();
            } finally {
                charging = wasCharging;
                long after = before >= 0 ? reading() : -1;
                if (after >= 0) {
                    meterAtStart += after - before;
                }
            }
        }

        @Override
        protected Object compileImpl(Scriptable scope, String sourceString, String sourceName, int lineno,
                                     Object securityDomain, boolean returnFunction, Evaluator compiler,
                                     ErrorReporter compilationErrorReporter, Consumer<CompilerEnvirons> compilerEnvProcessor) {
            if (charging) {
                reserve(COMPILE_BYTES_PER_CHAR * sourceString.length());
            }
            return super.compileImpl(scope, sourceString, sourceName, lineno, securityDomain, returnFunction, compiler,
                    compilationErrorReporter, compilerEnvProcessor);
        }
    }

    /** Thrown into a design function that ran past its deadline; unwinds it without running JavaScript handlers. */
    static final class Timeout extends Error {
        Timeout() {
            super("design function ran past os_process_timeout", null, false, false);
        }
    }

    /** Thrown into a design function that allocated, or was about to allocate, more than its budget. */
    static final class MemoryBudgetExceeded extends Error {
        MemoryBudgetExceeded() {
            super("design function ran over its memory budget", null, false, false);
        }
    }

    /**
     * Thrown out of an unmetered call that grew: it is abandoned (design functions are pure, so nothing of it needs
     * to survive) and run again where its allocation can be metered, keeping its deadline.
     */
    static final class NeedsMeteredThread extends Error {
        private final long deadline;

        NeedsMeteredThread(long deadline) {
            super("design function must be metered on a platform thread", null, false, false);
            this.deadline = deadline;
        }

        long deadline() {
            return deadline;
        }
    }

    @Override
    protected void observeInstructionCount(Context cx, int instructionCount) {
        if (cx instanceof TimedContext timed) {
            if (timed.expired()) {
                throw new Timeout();
            }
            timed.checkpoint();
        }
    }

    @Override
    protected GeneratedClassLoader createClassLoader(ClassLoader parent) {
        return new GeneratedCodeRewriter(super.createClassLoader(parent));
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
