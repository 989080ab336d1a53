package dev.arbor.cli.db;

import dev.arbor.cli.ArborSubcommand;
import dev.arbor.core.json.Json;
import picocli.CommandLine.Command;

/** {@code arbor init}: creates the storage directory and the {@code --db} database; running it again changes nothing. */
@Command(name = "init", description = "Create the storage directory (--data) and the database (--db) if they do not exist.")
public final class InitCommand extends ArborSubcommand {
    @Override
    protected void run() {
        String name = arbor().dbName();
        boolean created = arbor().withStorage(storage -> {
            boolean existed = storage.exists(name);
            if (!existed) {
                storage.createDatabase(name).close();
            }
            return !existed;
        });
        arbor().output().print(Json.object()
                .put("ok", true)
                .put("data_dir", arbor().dataDir().toString())
                .put("db_name", name)
                .put("created", created));
    }
}
