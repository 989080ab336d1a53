package dev.arbor.cli.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.permission.PermissionGroup;
import dev.arbor.api.permission.Statement;
import dev.arbor.cli.ArborSubcommand;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.auth.Accounts;
import dev.arbor.wire.CouchJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code arbor group put|list|delete}: the permission groups of {@code _permissions}, statements in JSON. */
@Command(name = "group", description = "Create, list and delete permission groups (statements in _permissions).",
        subcommands = {GroupCommand.Put.class, GroupCommand.ListAll.class, GroupCommand.Delete.class})
public final class GroupCommand extends ArborSubcommand {
    @Override
    protected void run() {
        throw new ParameterException(spec().commandLine(), "Missing a command: put, list or delete");
    }

    @Command(name = "put", description = "Create a group or replace its statements.")
    public static final class Put extends ArborSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the group's name")
        private String name;

        @Parameters(index = "1", paramLabel = "STATEMENTS", description = "a JSON array of statements, e.g. "
                + "'[{\"resources\": [[\"arbor\", \"database\", \"news\"]], \"actions\": [\"database.read_document\"]}]'")
        private String statements;

        @Override
        protected void run() {
            PermissionGroup group = new PermissionGroup(name, parse(statements));
            arbor().withStorage(storage -> {
                Accounts.open(arbor().dataDir(), storage).putGroup(group);
                return null;
            });
            arbor().output().print(CouchJson.ok());
        }

        private static List<Statement> parse(String text) {
            JsonNode json;
            try {
                json = Json.parse(text);
            } catch (RuntimeException e) {
                throw new ArborException.BadRequest("STATEMENTS is not JSON: " + e.getMessage());
            }
            if (!json.isArray()) {
                throw new ArborException.BadRequest("STATEMENTS is a JSON array of statements");
            }
            List<Statement> parsed = new ArrayList<>();
            for (JsonNode statement : json) {
                try {
                    parsed.add(Statement.fromJson(statement));
                } catch (IllegalArgumentException e) {
                    throw new ArborException.BadRequest(e.getMessage());
                }
            }
            return parsed;
        }
    }

    @Command(name = "list", description = "List the groups with their statements.")
    public static final class ListAll extends ArborSubcommand {
        @Override
        protected void run() {
            ObjectNode body = Json.object();
            if (arbor().storageExists()) {
                arbor().withStorage(storage -> {
                    Accounts.open(arbor().dataDir(), storage).groups().forEach((name, group) -> {
                        var statements = body.putArray(name);
                        group.statements().forEach(statement -> statements.add(statement.toJson()));
                    });
                    return null;
                });
            }
            arbor().output().print(body);
        }
    }

    @Command(name = "delete", description = "Delete a group.")
    public static final class Delete extends ArborSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the group's name")
        private String name;

        @Override
        protected void run() {
            if (!arbor().withExistingStorage(storage -> Accounts.open(arbor().dataDir(), storage).deleteGroup(name))) {
                throw new ArborException.NotFound("missing");
            }
            arbor().output().print(CouchJson.ok());
        }
    }
}
