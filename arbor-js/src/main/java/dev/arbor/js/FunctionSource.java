package dev.arbor.js;

import dev.arbor.core.error.ArborException;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.EvaluatorException;
import org.mozilla.javascript.Script;

/**
 * A design document function compiled once to JVM bytecode. The {@link Script} is code only (no scope,
 * no state), so it is shared by every sandbox on every thread; each sandbox runs it once to get its own
 * function object.
 *
 * @param label  where the function lives, for error messages ({@code views.byName.map})
 * @param source the source as stored (CouchDB's bare {@code function(doc) {...}})
 * @param script the source as an expression that evaluates to the function
 */
record FunctionSource(String label, String source, Script script) {

    /**
     * Compiles stored source. CouchDB evaluates it as an expression, so it is wrapped in parentheses
     * (trailing semicolons, which CouchDB's rewriter accepts, are dropped first). A syntax error is
     * CouchDB's {@code compilation_error}, prefixed with {@code context}.
     */
    static FunctionSource compile(String label, String source, String context) {
        String expression = "(" + withoutTrailingSemicolons(source) + "\n)";
        Context cx = JsEngine.INSTANCE.enterContext();
        try {
            return new FunctionSource(label, source, cx.compileString(expression, label, 1, null));
        } catch (EvaluatorException syntax) {
            throw compilationError(context, "SyntaxError: " + syntax.details() + " at line " + syntax.lineNumber(), source);
        } finally {
            Context.exit();
        }
    }

    static ArborException.BadRequest compilationError(String context, String detail, String source) {
        return new ArborException.BadRequest("compilation_error", context + detail + " (" + source + ")");
    }

    private static String withoutTrailingSemicolons(String source) {
        int end = source.length();
        while (end > 0 && (Character.isWhitespace(source.charAt(end - 1)) || source.charAt(end - 1) == ';')) {
            end--;
        }
        return source.substring(0, end);
    }
}
