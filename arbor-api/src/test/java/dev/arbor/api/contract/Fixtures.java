package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.function.Executable;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Small builders and assertions the contract tests share, so each test reads as the behaviour it pins. */
public final class Fixtures {
    private Fixtures() {}

    /** A JSON object written with single quotes for readability: {@code doc("{'_id':'a'}")}. */
    public static ObjectNode doc(String singleQuotedJson) {
        return Json.parseObject(singleQuotedJson.replace('\'', '"'));
    }

    /** A 32-hex-digit revision hash made of one repeated digit, so tests can order hashes at a glance. */
    public static String hash(char digit) {
        return String.valueOf(digit).repeat(32);
    }

    /** {@code rev(3, 'c')} is {@code "3-ccc…c"}. */
    public static String rev(int pos, char digit) {
        return pos + "-" + hash(digit);
    }

    /**
     * A document as the replicator sends it with {@code new_edits=false}: its revision {@code pos-<leaf>} and
     * the ancestry {@code _revisions}. {@code path} names the hashes newest first: {@code "cba"} at pos 3 is
     * 3-c, 2-b, 1-a.
     */
    public static ObjectNode replicated(String id, int pos, String path, boolean deleted, String bodyJson) {
        ObjectNode doc = bodyJson == null ? Json.object() : doc(bodyJson);
        doc.put("_id", id);
        doc.put("_rev", rev(pos, path.charAt(0)));
        if (deleted) doc.put("_deleted", true);
        ObjectNode revisions = doc.putObject("_revisions");
        revisions.put("start", pos);
        ArrayNode ids = revisions.putArray("ids");
        for (char c : path.toCharArray()) ids.add(hash(c));
        return doc;
    }

    public static ObjectNode replicated(String id, int pos, String path) {
        return replicated(id, pos, path, false, null);
    }

    public static int pos(String rev) {
        return Integer.parseInt(rev.substring(0, rev.indexOf('-')));
    }

    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** CouchDB's attachment digest: {@code md5-} and the base64 of the MD5 of the data. */
    public static String couchDigest(byte[] data) {
        return "md5-" + Base64.getEncoder().encodeToString(md5().digest(data));
    }

    public static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    /**
     * {@code length} pseudo-random (incompressible) bytes produced on the fly, so a test can stream a large
     * attachment without holding it; the same seed always gives the same bytes.
     */
    public static final class GeneratedBytes extends java.io.InputStream {
        private long remaining;
        private long state;

        public GeneratedBytes(long length, long seed) {
            this.remaining = length;
            this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        }

        private int nextByte() {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            return (int) (state & 0xFF);
        }

        @Override
        public int read() {
            if (remaining == 0) return -1;
            remaining--;
            return nextByte();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) return -1;
            int n = (int) Math.min(length, remaining);
            for (int i = 0; i < n; i++) buffer[offset + i] = (byte) nextByte();
            remaining -= n;
            return n;
        }

        /** All the bytes, for data small enough to hold. */
        public static byte[] of(int length, long seed) {
            byte[] out = new byte[length];
            new GeneratedBytes(length, seed).read(out, 0, length);
            return out;
        }
    }

    /** Asserts the call fails with exactly this kind of error, CouchDB {@code error} token and {@code reason}. */
    public static <T extends ArborException> T assertArbor(Class<T> kind, String error, String reason, Executable call) {
        T thrown = assertThrows(kind, call);
        assertEquals(error, thrown.error(), "error token");
        if (reason != null) assertEquals(reason, thrown.reason(), "reason");
        return thrown;
    }

    public static ArborException.NotFound assertNotFound(String reason, Executable call) {
        return assertArbor(ArborException.NotFound.class, "not_found", reason, call);
    }

    public static ArborException.Conflict assertConflict(Executable call) {
        return assertArbor(ArborException.Conflict.class, "conflict", null, call);
    }
}
