package dev.arbor.cli.doc;

import dev.arbor.cli.ArborSubcommand;
import dev.arbor.wire.CouchJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code arbor delete ID}: {@code DELETE /db/ID?rev=REV}, printing {@code {"ok":true,"id":..,"rev":..}}. */
@Command(name = "delete", description = "Delete a document: its revision --rev, or else its current winning revision.")
public final class DeleteCommand extends ArborSubcommand {
    @Parameters(index = "0", paramLabel = "ID", description = "the document id")
    private String id;

    @Option(names = "--rev", paramLabel = "REV", description = "the revision to delete (default: the current winner)")
    private String rev;

    @Override
    protected void run() {
        var result = arbor().withDatabase(db -> {
            // CouchDB answers a DELETE without ?rev= with a conflict. A person at a shell rarely has the
            // rev at hand, so without --rev the CLI deletes what it reads as the winner; a concurrent
            // edit in between still makes this a conflict rather than deleting unseen data.
            String target = rev != null ? rev : db.get(id).get("_rev").asText();
            return db.remove(id, target);
        });
        arbor().output().print(CouchJson.docResult(result));
    }
}
