package dev.arbor.cli.db;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbor.cli.ArborSubcommand;
import dev.arbor.core.json.Json;
import dev.arbor.wire.CouchJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code arbor db create|list|delete}: the databases of the storage, as CouchDB's {@code PUT /db}, {@code GET /_all_dbs}, {@code DELETE /db}. */
@Command(name = "db", description = "Create, list and delete databases.",
        subcommands = {DbCommand.Create.class, DbCommand.ListAll.class, DbCommand.Delete.class})
public final class DbCommand extends ArborSubcommand {
    @Override
    protected void run() {
        throw new ParameterException(spec().commandLine(), "Missing a command: create, list or delete");
    }

    @Command(name = "create", description = "Create a database (creating the storage directory if needed).")
    public static final class Create extends ArborSubcommand {
        @Parameters(index = "0", paramLabel = "NAME",
                description = "lowercase letters, digits and _$()+-/, starting with a letter")
        private String name;

        @Override
        protected void run() {
            arbor().withStorage(storage -> {
                storage.createDatabase(name).close();
                return null;
            });
            arbor().output().print(CouchJson.ok());
        }
    }

    @Command(name = "list", description = "List the databases' names, sorted (CouchDB's _all_dbs).")
    public static final class ListAll extends ArborSubcommand {
        @Override
        protected void run() {
            List<String> names = arbor().storageExists() ? arbor().withStorage(storage -> storage.listDatabases()) : List.of();
            ArrayNode body = Json.MAPPER.createArrayNode();
            names.forEach(body::add);
            arbor().output().print(body);
        }
    }

    @Command(name = "delete", description = "Delete a database and all its documents.")
    public static final class Delete extends ArborSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the database to delete")
        private String name;

        @Override
        protected void run() {
            arbor().withExistingStorage(storage -> {
                storage.deleteDatabase(name);
                return null;
            });
            arbor().output().print(CouchJson.ok());
        }
    }
}
