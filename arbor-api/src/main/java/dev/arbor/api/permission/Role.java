package dev.arbor.api.permission;

import java.util.List;
import java.util.Objects;

/** A named set of {@link PermissionGroup}s (by name), given to users. */
public record Role(String name, List<String> groups) {
    public Role {
        Objects.requireNonNull(name);
        groups = List.copyOf(groups);
    }
}
