package dev.arbor.js.builtin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * JSON values written the way CouchDB's error reasons show them (Erlang's {@code ~p} of the decoded
 * term): strings as {@code <<"text">>}, objects as {@code {[{<<"k">>,v}]}}, arrays as lists.
 */
final class ErlangTerms {
    private ErlangTerms() {}

    static String format(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(JsonNode value, StringBuilder out) {
        if (value.isTextual()) {
            out.append("<<\"").append(value.textValue().replace("\\", "\\\\").replace("\"", "\\\"")).append("\">>");
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(value.get(i), out);
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
                out.append("{<<\"").append(member.getKey()).append("\">>,");
                write(member.getValue(), out);
                out.append('}');
            }
            out.append("]}");
        } else {
            out.append(value.asText()); // numbers, true, false, null print alike in Erlang
        }
    }
}
