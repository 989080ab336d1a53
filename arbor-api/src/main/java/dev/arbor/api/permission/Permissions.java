package dev.arbor.api.permission;

import dev.arbor.core.error.ArborException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one caller may do: the union of the statements that reach it (its own groups, its roles' groups, and the
 * server's defaults), and nothing else. Immutable and thread-safe.
 */
public final class Permissions {
    /** Nothing: what a caller has when no statement reaches it. */
    public static final Permissions NONE = new Permissions(List.of(), false);
    /** Everything: a server admin. */
    public static final Permissions ALL = new Permissions(List.of(), true);

    private final List<Statement> statements;
    private final boolean all;

    private Permissions(List<Statement> statements, boolean all) {
        this.statements = List.copyOf(statements);
        this.all = all;
    }

    public static Permissions of(Collection<Statement> statements) {
        return statements.isEmpty() ? NONE : new Permissions(List.copyOf(statements), false);
    }

    public static Permissions of(Statement... statements) {
        return of(List.of(statements));
    }

    /** What a caller has whom both this and {@code other} reach. */
    public Permissions and(Permissions other) {
        if (all || other.all) {
            return ALL;
        }
        List<Statement> union = new ArrayList<>(statements);
        union.addAll(other.statements);
        return of(union);
    }

    /**
     * The permissions of a user who is in {@code groups} and has {@code roles}, given the server's groups and
     * roles by name. A group or role that does not exist grants nothing.
     */
    public static Permissions resolve(Collection<String> groups, Collection<String> roles,
                                      Map<String, PermissionGroup> groupsByName, Map<String, Role> rolesByName) {
        Set<String> reached = new LinkedHashSet<>(groups);
        for (String roleName : roles) {
            Role role = rolesByName.get(roleName);
            if (role != null) {
                reached.addAll(role.groups());
            }
        }
        List<Statement> statements = new ArrayList<>();
        for (String groupName : reached) {
            PermissionGroup group = groupsByName.get(groupName);
            if (group != null) {
                statements.addAll(group.statements());
            }
        }
        return of(statements);
    }

    public boolean isAll() {
        return all;
    }

    public List<Statement> statements() {
        return statements;
    }

    public boolean allowed(ResourceName resource, Action action) {
        if (all) {
            return true;
        }
        for (Statement statement : statements) {
            if (statement.allows(resource, action)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the action named {@code qualifiedAction} (built-in or a custom API's) is granted on {@code resource}. */
    public boolean allowed(ResourceName resource, String qualifiedAction) {
        if (all) {
            return true;
        }
        for (Statement statement : statements) {
            if (statement.allows(resource, qualifiedAction)) {
                return true;
            }
        }
        return false;
    }

    /** @throws ArborException.Forbidden when {@code action} on {@code resource} is not granted */
    public void check(ResourceName resource, Action action) {
        if (!allowed(resource, action)) {
            throw new ArborException.Forbidden("You are not allowed to " + action.qualifiedName() + " on " + resource);
        }
    }

    /**
     * The documents of {@code database} the caller may {@code action} (read them, say): every one when a statement
     * covers the database or all its documents, else those named by id or prefix, else none.
     */
    public DocumentAccess documents(String database, Action action) {
        if (all) {
            return new DocumentAccess.All();
        }
        ResourceName databaseName = ResourceName.database(database);
        ResourceName documents = ResourceName.of("arbor", "database", database, "document");
        Set<String> ids = new LinkedHashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (Statement statement : statements) {
            if (!statement.grants(action)) {
                continue;
            }
            for (ResourceName resource : statement.resources()) {
                if (resource.size() <= 3 && resource.covers(databaseName)
                        || resource.size() == 4 && resource.covers(documents)) {
                    return new DocumentAccess.All();
                }
                if (resource.size() != 5 || !prefixOf(resource, 4).covers(documents)) {
                    continue; // another database's, or a part of one document (an attachment): not a document
                }
                switch (resource.segment(4)) {
                    case Segment.Any any -> {
                        return new DocumentAccess.All();
                    }
                    case Segment.Text id -> ids.add(id.text());
                    case Segment.Prefix prefix -> {
                        if (prefix.prefix().isEmpty()) {
                            return new DocumentAccess.All();
                        }
                        prefixes.add(prefix.prefix());
                    }
                    case Segment.Number number -> {
                        // Document ids are strings: a number names none.
                    }
                }
            }
        }
        return ids.isEmpty() && prefixes.isEmpty() ? new DocumentAccess.None() : new DocumentAccess.Some(ids, prefixes);
    }

    private static ResourceName prefixOf(ResourceName name, int size) {
        return new ResourceName(name.segments().subList(0, size));
    }

    @Override
    public String toString() {
        return all ? "Permissions[all]" : "Permissions" + statements;
    }
}
