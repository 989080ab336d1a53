package dev.arbor.client.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sequences between the contract's {@code long} and what servers send. PouchDB, pouchdb-server and
 * Arbor send numbers; CouchDB 2+ sends opaque strings such as {@code "42-g1AAAA..."} whose numeric
 * prefix is the sum of its shards' sequences. A string is mapped to its numeric prefix, which grows
 * with every change as a sequence must; the string itself is remembered so that the number, handed back
 * as a {@code since}, is sent as the exact token the server gave (CouchDB cannot resume from the bare
 * number of a clustered database).
 *
 * <p>Only the most recent tokens are kept; a number whose token was forgotten is sent as a number, which
 * CouchDB reads as "from that point in each shard, or the start", never skipping a change.
 */
public final class SeqTokens {
    private static final int REMEMBERED = 1024;

    private final Map<Long, String> tokens = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** The contract's number for a sequence as the server sent it; remembers an opaque one's token. */
    public long number(JsonNode seq) {
        if (seq == null || seq.isNull() || seq.isMissingNode()) {
            return 0;
        }
        if (seq.isNumber()) {
            return seq.longValue();
        }
        String text = seq.asText();
        long number = numericPrefix(text);
        if (!isPlainNumber(text)) {
            synchronized (tokens) {
                tokens.put(number, text);
            }
        }
        return number;
    }

    /** The {@code since} parameter for a number: the server's own token when this client saw one. */
    public String since(long number) {
        synchronized (tokens) {
            String token = tokens.get(number);
            return token != null ? token : Long.toString(number);
        }
    }

    /** The digits a sequence string starts with ({@code "42-g1AA"} is 42); 0 when it has none. */
    public static long numericPrefix(String text) {
        int end = 0;
        while (end < text.length() && end < 19 && Character.isDigit(text.charAt(end))) end++;
        return end == 0 ? 0 : Long.parseLong(text, 0, end, 10);
    }

    private static boolean isPlainNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }
}
