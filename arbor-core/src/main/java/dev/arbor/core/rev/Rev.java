package dev.arbor.core.rev;

import dev.arbor.core.error.ArborException;

import java.util.Objects;

/**
 * A revision id {@code pos-hash}: {@code pos} counts edits from the document's creation (1 for the
 * first), {@code hash} names the edit. Ordered by pos, then hash, which is the order CouchDB uses to
 * pick a winner among otherwise equal leaves.
 */
public record Rev(long pos, String hash) implements Comparable<Rev> {

    public Rev {
        Objects.requireNonNull(hash, "hash");
        if (pos < 1 || !isValidHash(hash)) {
            throw invalid();
        }
    }

    /**
     * A hash must be well-formed text: an unpaired UTF-16 surrogate could not survive the UTF-8 the tree is
     * stored in. It may be empty: CouchDB parses {@code "1-"} as position 1 with an empty hash and stores such a
     * replicated revision as it came.
     */
    static boolean isValidHash(String hash) {
        for (int i = 0; i < hash.length(); i++) {
            char c = hash.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < hash.length() && Character.isLowSurrogate(hash.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code "3-abc"}. The hash is everything after the first dash (it may itself contain
     * dashes, as CouchDB allows). Position 0 is rejected: only local documents use it, and they have
     * no revision tree.
     */
    public static Rev parse(String text) {
        if (text == null) {
            throw invalid();
        }
        int dash = text.indexOf('-');
        // At most 18 digits keeps the value inside a long without an overflow check.
        if (dash <= 0 || dash > 18) {
            throw invalid();
        }
        long pos = 0;
        for (int i = 0; i < dash; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid();
            }
            pos = pos * 10 + (c - '0');
        }
        return new Rev(pos, text.substring(dash + 1));
    }

    @Override
    public int compareTo(Rev other) {
        int byPos = Long.compare(pos, other.pos);
        return byPos != 0 ? byPos : hash.compareTo(other.hash);
    }

    @Override
    public String toString() {
        return pos + "-" + hash;
    }

    private static ArborException.BadRequest invalid() {
        return new ArborException.BadRequest("bad_request", "Invalid rev format");
    }
}
