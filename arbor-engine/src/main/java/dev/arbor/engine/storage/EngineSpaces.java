package dev.arbor.engine.storage;

import dev.arbor.engine.store.AttachmentSpaces;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.keyvalue.KeyValueSpaces;
import dev.arbor.engine.kv.Space;
import dev.arbor.engine.mango.MangoSpaces;
import dev.arbor.engine.view.ViewSpaces;

import java.util.List;
import java.util.stream.Stream;

/**
 * The spaces of every feature an {@code EngineDatabase} wires: what {@link EngineStorage} opens each database's
 * store with. A feature that adds a space lists it in its own class and that class here, and the next open of an
 * existing database creates the column family.
 */
public final class EngineSpaces {
    public static final List<Space> ALL = Stream.of(DocSpaces.ALL, AttachmentSpaces.ALL, MangoSpaces.ALL,
            ViewSpaces.ALL, KeyValueSpaces.ALL).flatMap(List::stream).toList();

    private EngineSpaces() {
    }
}
