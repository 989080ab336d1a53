package dev.arbor.server.auth;

import dev.arbor.server.http.UserCtx;

import java.util.List;

/**
 * A user who can log in: a server admin from the ini file, or a {@code _users} document with a password
 * hash. The hash's salt also keys the user's session cookies, so changing the password ends old sessions.
 */
record StoredUser(String name, List<String> roles, PasswordHash password) {
    StoredUser {
        roles = List.copyOf(roles);
    }

    UserCtx userCtx() {
        return new UserCtx(name, roles);
    }
}
