package dev.arbor.js;

import java.util.Objects;
import java.util.Optional;

/** One view of a design document: its map function and, if it has one, its reduce. */
public record ViewFunctions(String name, MapFunction map, Optional<ReduceFunction> reduce) {
    public ViewFunctions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(reduce, "reduce");
    }
}
