package dev.arbor.cli.db;

import dev.arbor.cli.ArborSubcommand;
import dev.arbor.wire.CouchJson;
import picocli.CommandLine.Command;

/** {@code arbor compact}: {@code POST /db/_compact}, run to completion before answering. */
@Command(name = "compact",
        description = "Compact the database: drop bodies of old revisions and attachments no current revision uses.")
public final class CompactCommand extends ArborSubcommand {
    @Override
    protected void run() {
        arbor().withDatabase(db -> {
            db.compact();
            return null;
        });
        arbor().output().print(CouchJson.ok());
    }
}
