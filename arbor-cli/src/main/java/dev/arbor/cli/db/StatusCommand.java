package dev.arbor.cli.db;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.DbInfo;
import dev.arbor.cli.ArborSubcommand;
import dev.arbor.cli.ArborVersion;
import dev.arbor.core.json.Json;
import picocli.CommandLine.Command;

/** {@code arbor status}: which storage this is and what is in it. Only reads; never creates the storage. */
@Command(name = "status", description = "Show the storage directory, its databases with their document counts, and the version.")
public final class StatusCommand extends ArborSubcommand {
    @Override
    protected void run() {
        ObjectNode status = Json.object()
                .put("version", ArborVersion.current())
                .put("data_dir", arbor().dataDir().toString())
                .put("exists", arbor().storageExists());
        ArrayNode databases = status.putArray("databases");
        if (arbor().storageExists()) {
            arbor().withStorage(storage -> {
                for (String name : storage.listDatabases()) {
                    try (Database db = storage.database(name)) {
                        DbInfo info = db.info();
                        databases.addObject()
                                .put("db_name", name)
                                .put("doc_count", info.docCount())
                                .put("doc_del_count", info.docDelCount())
                                .set("update_seq", info.updateSeq().toJson());
                    }
                }
                return null;
            });
        } else {
            arbor().stderr().println("arbor: no storage in " + arbor().dataDir() + " yet; `arbor init` creates it.");
        }
        arbor().output().print(status);
    }
}
