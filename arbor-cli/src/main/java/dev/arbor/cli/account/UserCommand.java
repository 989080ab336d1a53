package dev.arbor.cli.account;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.cli.ArborSubcommand;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.auth.Accounts;
import dev.arbor.wire.CouchJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code arbor user put|list|delete}: the users of {@code _users}, as an admin edits them over HTTP. */
@Command(name = "user", description = "Create, list and delete users (the _users database).",
        subcommands = {UserCommand.Put.class, UserCommand.ListAll.class, UserCommand.Delete.class})
public final class UserCommand extends ArborSubcommand {
    @Override
    protected void run() {
        throw new ParameterException(spec().commandLine(), "Missing a command: put, list or delete");
    }

    @Command(name = "put", description = "Create a user or replace one: password, roles and permission groups.")
    public static final class Put extends ArborSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the user's name")
        private String name;

        @Option(names = "--password", paramLabel = "PASSWORD", required = true,
                description = "stored hashed (PBKDF2, as the server's [chttpd_auth] settings say)")
        private String password;

        @Option(names = "--role", paramLabel = "ROLE", description = "a role: CouchDB's, and in _permissions the groups it gives (repeatable)")
        private List<String> roles = new ArrayList<>();

        @Option(names = "--group", paramLabel = "GROUP", description = "a permission group of _permissions (repeatable)")
        private List<String> groups = new ArrayList<>();

        @Override
        protected void run() {
            arbor().withStorage(storage -> {
                Accounts.open(arbor().dataDir(), storage).putUser(name, password, roles, groups);
                return null;
            });
            arbor().output().print(CouchJson.ok());
        }
    }

    @Command(name = "list", description = "List the users with their roles and groups (never their passwords).")
    public static final class ListAll extends ArborSubcommand {
        @Override
        protected void run() {
            ObjectNode body = Json.object();
            if (arbor().storageExists()) {
                arbor().withStorage(storage -> {
                    Accounts.open(arbor().dataDir(), storage).users().forEach(body::set);
                    return null;
                });
            }
            arbor().output().print(body);
        }
    }

    @Command(name = "delete", description = "Delete a user.")
    public static final class Delete extends ArborSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the user's name")
        private String name;

        @Override
        protected void run() {
            boolean deleted = arbor().withExistingStorage(storage -> Accounts.open(arbor().dataDir(), storage).deleteUser(name));
            if (!deleted) {
                throw new ArborException.NotFound("missing");
            }
            arbor().output().print(CouchJson.ok());
        }
    }
}
