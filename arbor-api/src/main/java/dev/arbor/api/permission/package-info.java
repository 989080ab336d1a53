/**
 * Permissions as BonsaiDb states them: {@link dev.arbor.api.permission.Statement}s grant
 * {@link dev.arbor.api.permission.Action}s on {@link dev.arbor.api.permission.ResourceName}s; a
 * {@link dev.arbor.api.permission.PermissionGroup} holds statements, a {@link dev.arbor.api.permission.Role} holds
 * groups, and a user has roles and groups. {@link dev.arbor.api.permission.Permissions} is what one caller may do:
 * the union of every statement that reaches it, and nothing that no statement grants.
 *
 * <p>Resource names are hierarchical: a statement on {@code ["arbor", "database", "blog"]} covers every document,
 * view and key of that database. Documents may be named by id prefix or partition, which is how a user is given
 * some documents of a database and not others ({@link dev.arbor.api.permission.Permissions#documents}).
 */
package dev.arbor.api.permission;
