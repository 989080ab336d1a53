package dev.arbor.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.arbor.core.error.ArborException;

import java.io.IOException;
import java.util.Objects;

/**
 * A database's update sequence ({@code update_seq}, {@code last_seq}, a change's {@code seq}, a {@code since}),
 * as the database gave it. Arbor's own sequences are numbers ({@link Local}, JSON numbers as PouchDB and Arbor
 * clients expect); CouchDB 2+ sends opaque strings such as {@code "7460-g1AAAA..."} ({@link Token}) which only
 * that server can read: it answers 400 to the bare number. A token therefore goes back exactly as it came (JSON
 * string in, the same JSON string out, the same text as a {@code since} parameter) and is never parsed for more
 * than a progress figure ({@link #number()}).
 */
public sealed interface Seq permits Seq.Local, Seq.Token {

    /** Before the first change: {@code since=0} reads from the start. */
    Seq ZERO = new Local(0);

    /** One of Arbor's own sequences (also what PouchDB and pouchdb-server send). */
    record Local(long value) implements Seq {
        public Local {
            if (value < 0) {
                throw new IllegalArgumentException("a sequence is never negative: " + value);
            }
        }

        @Override public long number() { return value; }
        @Override public long toLocal() { return value; }
        @Override public String toParam() { return Long.toString(value); }
        @Override public JsonNode toJson() { return JsonNodeFactory.instance.numberNode(value); }
        @Override public void write(JsonGenerator out) throws IOException { out.writeNumber(value); }
        @JsonValue long json() { return value; }
        @Override public String toString() { return toParam(); }
    }

    /** A peer's opaque sequence string, kept verbatim. */
    record Token(String text) implements Seq {
        public Token {
            Objects.requireNonNull(text, "text");
        }

        /** The digits it starts with, which CouchDB makes the sum of its shards' sequences; 0 without any. */
        @Override public long number() {
            int end = digits(text);
            return end == 0 ? 0 : Long.parseLong(text, 0, end, 10);
        }

        @Override public long toLocal() {
            int end = digits(text);
            if (end == 0 || end < text.length() && text.charAt(end) != '-') {
                throw malformed();
            }
            return Long.parseLong(text, 0, end, 10);
        }

        @Override public String toParam() { return text; }
        @Override public JsonNode toJson() { return JsonNodeFactory.instance.textNode(text); }
        @Override public void write(JsonGenerator out) throws IOException { out.writeString(text); }
        @JsonValue String json() { return text; }
        @Override public String toString() { return text; }
    }

    static Seq of(long value) {
        return value == 0 ? ZERO : new Local(value);
    }

    /**
     * A sequence as a peer sent it in JSON: a number is a {@link Local}, a string a {@link Token}; absent or null
     * is {@link #ZERO}. Anything else (an object, a negative number) is 400 {@code bad_request}.
     */
    @JsonCreator
    static Seq fromJson(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return ZERO;
        }
        if (json.isIntegralNumber() && json.canConvertToLong() && json.longValue() >= 0) {
            return of(json.longValue());
        }
        if (json.isTextual()) {
            return new Token(json.textValue());
        }
        throw new ArborException.BadRequest("bad_request", "Malformed sequence: " + json);
    }

    /**
     * A sequence given as text, such as a {@code since} query parameter, where a number cannot be told from a
     * string: plain digits are a {@link Local}, anything else a {@link Token} kept as it is.
     */
    static Seq parse(String text) {
        int end = digits(text);
        if (end > 0 && end == text.length() && end <= 18) {
            return of(Long.parseLong(text));
        }
        return new Token(text);
    }

    /**
     * A figure that grows with every change of one database, for progress and for telling whether a database
     * moved on: the number, or the digits a token starts with. Not a sequence: never send it back.
     */
    long number();

    /**
     * This sequence read as one of Arbor's own: the number, or the digits a string starts with when a dash or
     * nothing follows ({@code "12-g1AA..."}, as a client that met CouchDB may send). Anything else is 400
     * {@code bad_request} with CouchDB's message.
     */
    long toLocal();

    /** The text of a {@code since} parameter that names exactly this sequence. */
    String toParam();

    /** The JSON value: a number for {@link Local}, the string as received for {@link Token}. */
    JsonNode toJson();

    /** Writes {@link #toJson()} to a generator. */
    void write(JsonGenerator out) throws IOException;

    /** CouchDB's answer to a {@code since} it cannot read. */
    static ArborException.BadRequest malformed() {
        return new ArborException.BadRequest("bad_request", "Malformed sequence supplied in 'since' parameter.");
    }

    private static int digits(String text) {
        int end = 0;
        while (end < text.length() && end < 18 && text.charAt(end) >= '0' && text.charAt(end) <= '9') end++;
        return end;
    }
}
