package dev.arbor.server.api;

import dev.arbor.api.Storage;
import dev.arbor.api.permission.Permissions;

import java.util.List;

/**
 * Who calls a custom API, and the server's storage as that caller may use it: every database it opens is narrowed and
 * checked by the caller's statements and {@code _security}, as the caller's own requests are, so a handler does no
 * more for a caller than the caller could do directly unless it says so by using storage it holds itself.
 *
 * @param user        the caller's name; null for an anonymous caller
 * @param roles       the caller's roles ({@code _admin} for a server admin)
 * @param storage     the server's storage as the caller (closing it leaves the server's open)
 * @param permissions the caller's server-wide statements, for checks of the handler's own ({@link Permissions#ALL} for
 *                    a server admin)
 */
public record ApiContext(String user, List<String> roles, Storage storage, Permissions permissions) {
    public ApiContext {
        roles = List.copyOf(roles);
    }
}
