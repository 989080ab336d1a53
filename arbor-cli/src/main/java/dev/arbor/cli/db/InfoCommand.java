package dev.arbor.cli.db;

import dev.arbor.cli.ArborSubcommand;
import dev.arbor.wire.CouchJson;
import picocli.CommandLine.Command;

/** {@code arbor info}: {@code GET /db}. */
@Command(name = "info", description = "Print the database's information, as CouchDB's GET /db answers it.")
public final class InfoCommand extends ArborSubcommand {
    @Override
    protected void run() {
        var info = arbor().withDatabase(db -> CouchJson.dbInfo(db.info()));
        arbor().output().print(info);
    }
}
