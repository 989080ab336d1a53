package dev.arbor.cli.doc;

import dev.arbor.cli.ArborSubcommand;
import dev.arbor.wire.CouchJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code arbor put ID [JSON]}: {@code PUT /db/ID}, printing {@code {"ok":true,"id":..,"rev":..}}. */
@Command(name = "put",
        description = "Create or update a document. Updating an existing document needs its current "
                + "revision, as _rev in the JSON or with --rev; otherwise the answer is a conflict, as in CouchDB.")
public final class PutCommand extends ArborSubcommand {
    @Parameters(index = "0", paramLabel = "ID", description = "the document id")
    private String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "JSON",
            description = "the document body, a JSON object; read from standard input when absent or -")
    private String json;

    @Option(names = "--rev", paramLabel = "REV", description = "the revision this edit replaces (CouchDB's ?rev=)")
    private String rev;

    @Override
    protected void run() {
        var doc = DocumentInput.forPut(id, DocumentInput.body(json, arbor().stdin()), rev);
        var result = arbor().withDatabase(db -> db.put(doc));
        arbor().output().print(CouchJson.docResult(result));
    }
}
