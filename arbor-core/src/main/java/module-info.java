/**
 * The pure model: documents, revision trees, collation, Mango selectors, errors and JSON.
 *
 * <p>Applications see two of its packages, through every {@code Database}: the errors every call may throw
 * ({@code ArborException}) and the JSON helpers and Jackson types documents are made of. The rest is the engine's,
 * the client's and the server's shared machinery, exported to them by name so it never becomes API by accident.
 *
 * <p>{@code @SuppressWarnings("module")}: the qualified exports name modules built after this one, which javac
 * reports as not found while compiling it.
 */
@SuppressWarnings("module")
module dev.arbor.core {
    // Documents are Jackson trees in every public signature (ObjectNode, JsonNode).
    requires transitive com.fasterxml.jackson.databind;
    // Unicode collation of view keys; icu4j has an Automatic-Module-Name, so the name is stable.
    requires com.ibm.icu;

    exports dev.arbor.core.error;
    exports dev.arbor.core.json;

    exports dev.arbor.core.collate to dev.arbor.engine;
    exports dev.arbor.core.doc to dev.arbor.engine, dev.arbor.client, dev.arbor.server;
    exports dev.arbor.core.mango to dev.arbor.api, dev.arbor.engine, dev.arbor.replication, dev.arbor.server;
    exports dev.arbor.core.rev to dev.arbor.engine;
}
