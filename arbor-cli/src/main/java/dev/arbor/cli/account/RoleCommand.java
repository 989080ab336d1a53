package dev.arbor.cli.account;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.permission.Role;
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

/** {@code arbor role put|list|delete}: the roles of {@code _permissions}, each the groups it gives its users. */
@Command(name = "role", description = "Create, list and delete roles (the groups a role gives, in _permissions).",
        subcommands = {RoleCommand.Put.class, RoleCommand.ListAll.class, RoleCommand.Delete.class})
public final class RoleCommand extends ArborSubcommand {
    @Override
    protected void run() {
        throw new ParameterException(spec().commandLine(), "Missing a command: put, list or delete");
    }

    @Command(name = "put", description = "Create a role or replace its groups.")
    public static final class Put extends ArborSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the role's name, as users' roles name it")
        private String name;

        @Option(names = "--group", paramLabel = "GROUP", description = "a group the role gives (repeatable)")
        private List<String> groups = new ArrayList<>();

        @Override
        protected void run() {
            arbor().withStorage(storage -> {
                Accounts.open(arbor().dataDir(), storage).putRole(new Role(name, groups));
                return null;
            });
            arbor().output().print(CouchJson.ok());
        }
    }

    @Command(name = "list", description = "List the roles with their groups.")
    public static final class ListAll extends ArborSubcommand {
        @Override
        protected void run() {
            ObjectNode body = Json.object();
            if (arbor().storageExists()) {
                arbor().withStorage(storage -> {
                    Accounts.open(arbor().dataDir(), storage).roles()
                            .forEach((name, role) -> role.groups().forEach(body.withArray(name)::add));
                    return null;
                });
            }
            arbor().output().print(body);
        }
    }

    @Command(name = "delete", description = "Delete a role.")
    public static final class Delete extends ArborSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the role's name")
        private String name;

        @Override
        protected void run() {
            if (!arbor().withExistingStorage(storage -> Accounts.open(arbor().dataDir(), storage).deleteRole(name))) {
                throw new ArborException.NotFound("missing");
            }
            arbor().output().print(CouchJson.ok());
        }
    }
}
