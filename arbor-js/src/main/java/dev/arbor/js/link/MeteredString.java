package dev.arbor.js.link;

import org.mozilla.javascript.ConsString;
import org.mozilla.javascript.Context;

/**
 * A long string made by lazy concatenation, which tells the {@link Context} flattening it before its characters are
 * copied into one array: the copy can be the largest single allocation a design function makes, and it happens
 * wherever Rhino needs the characters ({@code ===}, a property key, {@code Number(s)}, any built-in), mostly where no
 * other guard looks. Rhino flattens through {@link #toString}, {@link #charAt} and {@link #subSequence}; a string
 * nested in another is copied without asking, but then the outer one, long too, has asked.
 */
public final class MeteredString extends ConsString {
    private static final long serialVersionUID = 1L;

    private boolean flat;

    MeteredString(CharSequence text) {
        super(text, "");
    }

    @Override
    public String toString() {
        beforeFlattening();
        String text = super.toString();
        flat = true;
        return text;
    }

    @Override
    public char charAt(int index) {
        beforeFlattening();
        char c = super.charAt(index);
        flat = true;
        return c;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        beforeFlattening();
        CharSequence sequence = super.subSequence(start, end);
        flat = true;
        return sequence;
    }

    private void beforeFlattening() {
        if (!flat && Context.getCurrentContext() instanceof MeteredBootstrap.LongStringListener listener) {
            listener.flatteningLongString(length());
        }
    }
}
