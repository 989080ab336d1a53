package dev.arbor.api.permission;

import java.util.List;
import java.util.Objects;

/** A named set of statements, given to users directly or through {@link Role}s. */
public record PermissionGroup(String name, List<Statement> statements) {
    public PermissionGroup {
        Objects.requireNonNull(name);
        statements = List.copyOf(statements);
    }
}
