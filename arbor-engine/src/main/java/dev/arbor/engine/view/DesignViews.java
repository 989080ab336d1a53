package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.js.DesignDocFunctions;
import dev.arbor.js.JsOptions;
import dev.arbor.js.ViewFunctions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One JavaScript design document, compiled, with what identifies its index in storage.
 *
 * @param rev       the design document revision this was compiled from
 * @param views     the view names in the design document's order; a view's position is its ordinal in row keys
 * @param signature identifies the index's data: a digest of the design doc id, the views' code signature and the
 *                  ICU version behind string keys, so a changed definition or collator starts an empty index
 */
record DesignViews(String id, String rev, DesignDocFunctions functions, List<String> views, byte[] signature) {
    static final int SIGNATURE_BYTES = 16;

    static DesignViews compile(ObjectNode designDoc, JsOptions options) {
        DesignDocFunctions functions = DesignDocFunctions.compile(designDoc, options);
        String id = designDoc.path("_id").asText();
        String identity = String.join("\u0000", id, functions.viewSignature(), KeyEncoding.ICU_COLLATOR_VERSION);
        return new DesignViews(id, designDoc.path("_rev").asText(), functions, List.copyOf(functions.views().keySet()),
                Arrays.copyOf(sha256(identity.getBytes(StandardCharsets.UTF_8)), SIGNATURE_BYTES));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    String signatureHex() {
        return HexFormat.of().formatHex(signature);
    }

    /** The view's ordinal in row keys, or -1 when the design document has no such view. */
    int ordinal(String view) {
        return views.indexOf(view);
    }

    ViewFunctions view(int ordinal) {
        return functions.views().get(views.get(ordinal));
    }
}
