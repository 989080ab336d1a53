package dev.arbor.js;

import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;

/**
 * Rhino as Arbor configures it: the newest language level, compiled mode (JavaScript becomes JVM
 * bytecode, the fastest option measured in DESIGN.md), and no access to Java classes from scripts.
 * A {@link Context} is confined to the thread that entered it; see {@link Sandbox}.
 */
final class JsEngine extends ContextFactory {
    static final JsEngine INSTANCE = new JsEngine();

    private JsEngine() {}

    @Override
    protected Context makeContext() {
        Context cx = super.makeContext();
        cx.setLanguageVersion(Context.VERSION_ECMASCRIPT);
        cx.setInterpretedMode(false);
        // Design documents come from database users: no LiveConnect, no reflection into the JVM.
        cx.setClassShutter(className -> false);
        return cx;
    }
}
