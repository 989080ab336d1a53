package dev.arbor.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AtomicWrite;
import dev.arbor.core.error.ArborException;

import java.util.ArrayList;
import java.util.List;

/**
 * The shapes of {@link Op#API_CALL} and {@link Op#DOC_BULK_ALL_OR_NOTHING}, written and read by both ends.
 *
 * <p>A custom API call is {@code {name, request}}; its result is {@code {ok: response}} or {@code {error: record}} for
 * the API's own typed error, which a failure frame (status, error token, reason) could not carry. Every other failure
 * of a call is a failure frame, as for any operation. Stateless.
 */
public final class ApiCalls {
    private ApiCalls() {}

    public static ObjectNode call(String name, Object request) {
        ObjectNode args = Values.object().put("name", name);
        args.set("request", Values.tree(request));
        return args;
    }

    public static JsonNode answered(Object response) {
        ObjectNode out = Values.object();
        out.set("ok", Values.tree(response));
        return out;
    }

    public static JsonNode failed(Object error) {
        ObjectNode out = Values.object();
        out.set("error", Values.tree(error));
        return out;
    }

    // ---- atomic writes: {kind: "edit" | "overwrite", doc}

    public static JsonNode atomicWrites(List<AtomicWrite> writes) {
        var out = Values.object().arrayNode();
        for (AtomicWrite write : writes) {
            ObjectNode node = out.addObject().put("kind", switch (write) {
                case AtomicWrite.Edit edit -> "edit";
                case AtomicWrite.Overwrite overwrite -> "overwrite";
            });
            node.set("doc", write.doc());
        }
        return out;
    }

    public static List<AtomicWrite> atomicWrites(JsonNode array) {
        if (!array.isArray()) {
            throw new ArborException.BadRequest("bad_request", "argument \"writes\" must be an array");
        }
        List<AtomicWrite> writes = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            if (!(node.get("doc") instanceof ObjectNode doc)) {
                throw new ArborException.BadRequest("bad_request", "an atomic write's \"doc\" must be a JSON object");
            }
            writes.add(switch (node.path("kind").asText()) {
                case "edit" -> new AtomicWrite.Edit(doc);
                case "overwrite" -> new AtomicWrite.Overwrite(doc);
                default -> throw new ArborException.BadRequest("bad_request", "unknown atomic write kind "
                        + node.path("kind") + ": \"edit\" or \"overwrite\"");
            });
        }
        return writes;
    }
}
