package dev.arbor.cli.doc;

import dev.arbor.api.GetOptions;
import dev.arbor.cli.ArborSubcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code arbor get ID}: {@code GET /db/ID}, printing the document. */
@Command(name = "get", description = "Print a document: its winning revision, or the one named by --rev.")
public final class GetCommand extends ArborSubcommand {
    @Parameters(index = "0", paramLabel = "ID", description = "the document id")
    private String id;

    @Option(names = "--rev", paramLabel = "REV", description = "this revision instead of the winner")
    private String rev;

    @Option(names = "--revs", description = "include _revisions, the revision's ancestry")
    private boolean revs;

    @Option(names = "--conflicts", description = "include _conflicts, the losing leaf revisions")
    private boolean conflicts;

    @Override
    protected void run() {
        GetOptions options = GetOptions.DEFAULT.rev(rev).revs(revs).conflicts(conflicts);
        var doc = arbor().withDatabase(db -> db.get(id, options));
        arbor().output().print(doc);
    }
}
