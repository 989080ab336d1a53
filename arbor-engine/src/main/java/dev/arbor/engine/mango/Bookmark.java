package dev.arbor.engine.mango;

import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * Where a page of results ended, as an opaque token ({@code bookmark}). A streamed plan resumes after the last
 * key it returned (so pages stay right while documents change); a plan that sorts or merges in memory resumes at
 * a position in its sorted results.
 */
sealed interface Bookmark {
    /** The answer for an empty page, as CouchDB gives it. */
    String NONE = "nil";

    record AfterKey(byte[] key) implements Bookmark {}

    record AtOffset(long offset) implements Bookmark {}

    static String encode(Bookmark bookmark) {
        byte[] bytes = switch (bookmark) {
            case AfterKey after -> {
                byte[] out = new byte[after.key().length + 1];
                out[0] = 'k';
                System.arraycopy(after.key(), 0, out, 1, after.key().length);
                yield out;
            }
            case AtOffset at -> ByteBuffer.allocate(9).put((byte) 'o').putLong(at.offset()).array();
        };
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Null for no bookmark; {@code invalid_bookmark} (400) for one this database did not hand out. */
    static Bookmark decode(String token) {
        if (token == null) {
            return null;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token);
            if (bytes.length >= 1 && bytes[0] == 'k') {
                return new AfterKey(Arrays.copyOfRange(bytes, 1, bytes.length));
            }
            if (bytes.length == 9 && bytes[0] == 'o') {
                long offset = ByteBuffer.wrap(bytes, 1, 8).getLong();
                if (offset >= 0) {
                    return new AtOffset(offset);
                }
            }
        } catch (IllegalArgumentException e) {
            // not base64: reported below
        }
        throw invalid(token);
    }

    static ArborException invalid(String token) {
        return new ArborException.BadRequest("invalid_bookmark",
                "Invalid bookmark value: " + Json.text(Json.MAPPER.getNodeFactory().textNode(token)));
    }
}
