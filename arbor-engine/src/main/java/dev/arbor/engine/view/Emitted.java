package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.js.Emit;

/**
 * One row a map function emitted, as the index engine stores it (JSON key and value) and, for a typed view, as the
 * view emitted it ({@code mapped}, a {@link dev.arbor.api.view.typed.MappedValue}), so the view's reduce of newly
 * added rows gets the emitted objects instead of converting the stored JSON back.
 *
 * @param mapped the typed view's emitted key and value, or null for a JavaScript view
 */
record Emitted(JsonNode key, JsonNode value, Object mapped) {
    static Emitted of(Emit emit) {
        return new Emitted(emit.key(), emit.value(), null);
    }
}
