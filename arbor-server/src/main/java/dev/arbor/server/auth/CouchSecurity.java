package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.api.permission.Statement;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.UserCtx;

import java.util.List;

/**
 * CouchDB's access rules in the permission model's terms, so that one check ({@link Permissions#allowed}) decides
 * a request whatever granted it: a server admin (role {@code _admin}) has every permission; a database's admins
 * (by name or role in {@code _security.admins}) every {@code database.*} action on it; its members (or everyone,
 * when it names no member) the actions CouchDB lets members do. A CouchDB client sees exactly CouchDB's answers.
 */
final class CouchSecurity {
    /** What CouchDB lets a database's members do: read and write documents, query, follow changes, replicate. */
    static final List<Action> MEMBER_ACTIONS = List.of(Action.DATABASE_READ_DOCUMENT, Action.DATABASE_WRITE_DOCUMENT,
            Action.DATABASE_QUERY_VIEW, Action.DATABASE_QUERY_INDEX, Action.DATABASE_READ_CHANGES,
            Action.DATABASE_REPLICATE);

    private CouchSecurity() {
    }

    /** What {@code user} may do on database {@code db} whose {@code _security} object is {@code security}. */
    static Permissions permissions(String db, UserCtx user, ObjectNode security) {
        if (SecurityPolicy.isServerAdmin(user)) {
            return Permissions.ALL;
        }
        ResourceName database = ResourceName.database(db);
        if (SecurityPolicy.isAdmin(user, security)) {
            return Permissions.of(Statement.grantAll(database, "database"));
        }
        if (SecurityPolicy.isMember(user, security)) {
            return Permissions.of(Statement.grant(database, MEMBER_ACTIONS.toArray(Action[]::new)));
        }
        return Permissions.NONE;
    }

    /** The action a CouchDB access level stands for on a database. */
    static Action action(Access access) {
        return switch (access) {
            case READ -> Action.DATABASE_READ_DOCUMENT;
            case WRITE -> Action.DATABASE_WRITE_DOCUMENT;
            case CHANGES -> Action.DATABASE_READ_CHANGES;
            case QUERY_VIEW -> Action.DATABASE_QUERY_VIEW;
            case QUERY_INDEX -> Action.DATABASE_QUERY_INDEX;
            case DB_ADMIN -> Action.DATABASE_MANAGE_SECURITY;
            case COMPACT -> Action.DATABASE_COMPACT;
            case CREATE_DATABASE -> Action.SERVER_CREATE_DATABASE;
            case DELETE_DATABASE -> Action.SERVER_DELETE_DATABASE;
            case LIST_DATABASES -> Action.SERVER_LIST_DATABASES;
            case SERVER_ADMIN -> Action.SERVER_MANAGE_USERS;
        };
    }
}
