package dev.arbor.js.link;

import org.mozilla.javascript.ConsString;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.optimizer.Bootstrapper;
import org.mozilla.javascript.optimizer.OptRuntime;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The bootstrap method of the invokedynamic call sites in Arbor's compiled JavaScript, in place of Rhino's own
 * {@link Bootstrapper} (dev.arbor.js.GeneratedCodeRewriter points each generated class at it): it links every site
 * as Rhino does, and makes each {@code +} site report the long strings it produces to the {@link Context} running
 * it, handing them on as {@link MeteredString}s.
 *
 * <p>Why: Rhino concatenates lazily, so {@code s = s + s} makes a string of a billion characters in 30 turns of a
 * loop, too few for Rhino's instruction observer to look in between, and whatever then needs the characters copies
 * them all at once. (Rhino's fast paths for {@code +} flatten their right operand instead, which makes the same loop
 * allocate a gigabyte; a MeteredString, not being exactly a ConsString, takes Rhino's general, lazy path.) The
 * context can refuse a string too long to ever be flattened within its budget as soon as it is made, and a
 * MeteredString asks it before it is flattened.
 *
 * <p>It also stands in for the static methods Rhino's compiled code calls for the other concatenations (template
 * literals, a string plus a number), with the same signatures.
 *
 * <p>Public, in a package of its own exported to everyone, because the generated classes (in Rhino's class loader,
 * outside Arbor's module) must be able to call it. Not for applications.
 */
public final class MeteredBootstrap {
    /** Shorter strings are left as they are: flattening one costs at most 16 KB. */
    public static final int LONG_STRING = 4096;

    private static final MethodHandle REPORT;

    static {
        try {
            REPORT = MethodHandles.lookup().findStatic(MeteredBootstrap.class, "metered",
                    MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private MeteredBootstrap() {}

    /** Hears of the long strings the code its context runs makes and flattens. */
    public interface LongStringListener {
        /** A string this long was made (negative: its length overflowed). */
        void madeLongString(int length);

        /** A long string is about to be flattened into a new array of its characters. */
        void flatteningLongString(int length);
    }

    public static CallSite bootstrap(MethodHandles.Lookup lookup, String name, MethodType type) throws NoSuchMethodException {
        CallSite site = Bootstrapper.bootstrap(lookup, name, type);
        if (!name.startsWith("MATH:ADD") || type.returnType() != Object.class) {
            return site;
        }
        // dynamicInvoker keeps Rhino's relinking (the site's target changes as operand types change).
        return new ConstantCallSite(MethodHandles.filterReturnValue(site.dynamicInvoker(), REPORT));
    }

    /** Template literals and {@code String.raw}: Rhino's concat, metered. */
    public static Object concat(Object left, Object right) {
        return metered(ScriptRuntime.concat(left, right));
    }

    /** {@code +} where Rhino calls its general addition directly. */
    public static Object add(Object left, Object right, Context cx) {
        return metered(ScriptRuntime.add(left, right, cx));
    }

    /** {@code +} where the right operand is known to be a number. */
    public static Object add(Object left, double right, Context cx) {
        return metered(OptRuntime.add(left, right, cx));
    }

    /** {@code +} where the left operand is known to be a number. */
    public static Object add(double left, Object right, Context cx) {
        return metered(OptRuntime.add(left, right, cx));
    }

    /** {@code value}, as a {@link MeteredString} if it is a long lazily concatenated string, reported as made. */
    public static Object metered(Object value) {
        if (value instanceof ConsString text && !(text instanceof MeteredString)) {
            int length = text.length();
            if (length >= LONG_STRING || length < 0) {
                if (Context.getCurrentContext() instanceof LongStringListener listener) {
                    listener.madeLongString(length);
                }
                return new MeteredString(text);
            }
        }
        return value;
    }
}
