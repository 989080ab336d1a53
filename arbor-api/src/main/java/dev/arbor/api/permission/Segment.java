package dev.arbor.api.permission;

import java.util.Objects;

/**
 * One segment of a {@link ResourceName}: a name, a number, any segment ({@code *}), or, for document ids, every
 * id that starts with a prefix. A statement's segment {@link #covers} a requested one; a request names resources
 * with text and numbers only.
 */
public sealed interface Segment {
    /** Whether this segment, in a statement, covers {@code requested}. */
    boolean covers(Segment requested);

    /** The segment as JSON writes it: a string, a number, {@code "*"}, or {@code {"prefix": "..."}}. */
    Object json();

    static Segment of(String text) {
        return new Text(text);
    }

    static Segment of(long number) {
        return new Number(number);
    }

    static Segment any() {
        return Any.INSTANCE;
    }

    static Segment prefix(String prefix) {
        return new Prefix(prefix);
    }

    record Text(String text) implements Segment {
        public Text {
            Objects.requireNonNull(text);
        }

        @Override
        public boolean covers(Segment requested) {
            return equals(requested);
        }

        @Override
        public Object json() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    record Number(long number) implements Segment {
        @Override
        public boolean covers(Segment requested) {
            return equals(requested);
        }

        @Override
        public Object json() {
            return number;
        }

        @Override
        public String toString() {
            return Long.toString(number);
        }
    }

    /** Any one segment: {@code ["arbor", "database", "*", "document"]} names the documents of every database. */
    enum Any implements Segment {
        INSTANCE;

        @Override
        public boolean covers(Segment requested) {
            return true;
        }

        @Override
        public Object json() {
            return "*";
        }

        @Override
        public String toString() {
            return "*";
        }
    }

    /** Every text segment that starts with {@link #prefix}: documents by id prefix, partitions as {@code "p:"}. */
    record Prefix(String prefix) implements Segment {
        public Prefix {
            Objects.requireNonNull(prefix);
        }

        @Override
        public boolean covers(Segment requested) {
            return requested instanceof Text text && text.text().startsWith(prefix)
                    || requested instanceof Prefix narrower && narrower.prefix().startsWith(prefix);
        }

        @Override
        public Object json() {
            return java.util.Map.of("prefix", prefix);
        }

        @Override
        public String toString() {
            return prefix + "…";
        }
    }
}
