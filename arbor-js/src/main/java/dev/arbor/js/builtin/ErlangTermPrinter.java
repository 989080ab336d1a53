package dev.arbor.js.builtin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * JSON values written the way CouchDB's error reasons show them: Erlang's {@code ~p} of the decoded term
 * ({@link #format}: strings as {@code <<"text">>}, objects as {@code {[{<<"k">>,v}]}}, arrays as lists), or its
 * {@code ~w} ({@link #formatWritten}: the same, but strings as their UTF-8 bytes, {@code <<97,98>>}).
 */
final class ErlangTermPrinter {
    private ErlangTermPrinter() {}

    static String format(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out, false);
        return out.toString();
    }

    static String formatWritten(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out, true);
        return out.toString();
    }

    private static void binary(String text, StringBuilder out, boolean bytes) {
        if (!bytes) {
            out.append("<<\"").append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append("\">>");
            return;
        }
        out.append("<<");
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(utf8[i] & 0xff);
        }
        out.append(">>");
    }

    private static void write(JsonNode value, StringBuilder out, boolean bytes) {
        if (value.isTextual()) {
            binary(value.textValue(), out, bytes);
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(value.get(i), out, bytes);
            }
            out.append(']');
        } else if (value.isObject()) {
            out.append("{[");
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append('{');
                binary(member.getKey(), out, bytes);
                out.append(',');
                write(member.getValue(), out, bytes);
                out.append('}');
            }
            out.append("]}");
        } else {
            out.append(value.asText()); // numbers, true, false, null print alike in Erlang
        }
    }
}
