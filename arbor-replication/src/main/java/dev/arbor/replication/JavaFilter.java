package dev.arbor.replication;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * An in-process replication filter: a Java predicate over the document's winning revision, the
 * counterpart of a design-doc filter function. The {@code name} stands for the predicate in the
 * replication id (CouchDB hashes the filter function's source; a lambda has none that is stable across
 * runs), so two replications with different predicates must be given different names, and a changed
 * predicate should get a new name, or they share checkpoints.
 */
public record JavaFilter(String name, Predicate<ObjectNode> accepts) {
    public JavaFilter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(accepts, "accepts");
    }
}
