package dev.arbor.client.http;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding for the parts of a CouchDB URL. Every byte outside RFC 3986's unreserved set is
 * escaped, so a database name's {@code /}, {@code +} or {@code $} and a document id's {@code ?} or
 * {@code #} reach the server as data, never as URL syntax.
 */
public final class UrlEncoding {
    private static final String DESIGN = "_design/";
    private static final String LOCAL = "_local/";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlEncoding() {}

    /** One path segment or query value, UTF-8 and percent-encoded. */
    public static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * A document id as a path: {@code _design/x} and {@code _local/x} keep their slash, as CouchDB's
     * router expects two segments for them (and looks-alike such as pouchdb-server route on it); any
     * other slash is part of the id and escaped.
     */
    public static String docPath(String id) {
        for (String prefix : new String[] {DESIGN, LOCAL}) {
            if (id.startsWith(prefix) && id.length() > prefix.length()) {
                return prefix + encode(id.substring(prefix.length()));
            }
        }
        return encode(id);
    }

    /**
     * An attachment name as a path. CouchDB documents slashes in attachment names as literal path
     * separators ({@code /db/doc/dir/file.txt}) and joins the segments back, so each segment is escaped
     * on its own.
     */
    public static String attachmentPath(String name) {
        String[] segments = name.split("/", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) out.append('/');
            out.append(encode(segments[i]));
        }
        return out.toString();
    }
}
