package dev.arbor.api.custom;

import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.api.permission.Segment;

/**
 * What a caller must be granted to call an API: an action, built-in ({@code kv.set}) or the API's own
 * ({@code api.increment_counter}, {@link Action#isCustom}), on a resource. A resource under
 * {@code ["arbor", "database", db]} is decided with that database's permissions ({@code _security} included), any
 * other with the caller's server-wide statements; a server admin may call everything.
 */
public record ApiPermission(String action, ResourceName resource) {
    public ApiPermission {
        if (action == null || !(Action.byName(action).isPresent() || Action.isCustom(action))) {
            throw new IllegalArgumentException("unknown action " + action + ": an API requires a built-in action "
                    + "(\"kv.set\") or one of its own, \"api.name\"");
        }
        if (resource == null) {
            throw new IllegalArgumentException("an API's permission names a resource");
        }
    }

    public static ApiPermission of(Action action, ResourceName resource) {
        return new ApiPermission(action.qualifiedName(), resource);
    }

    /** The default: {@code api.call} on {@code ["arbor", "api", name]}. */
    public static ApiPermission callOf(String apiName) {
        return of(Action.API_CALL, ResourceName.api(apiName));
    }

    /** The database the resource lies in ({@code ["arbor", "database", db, ...]}), or null for a server-wide one. */
    public String database() {
        if (resource.size() >= 3 && resource.segment(0) instanceof Segment.Text(String root) && root.equals("arbor")
                && resource.segment(1) instanceof Segment.Text(String kind) && kind.equals("database")
                && resource.segment(2) instanceof Segment.Text(String database)) {
            return database;
        }
        return null;
    }
}
