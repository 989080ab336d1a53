package dev.arbor.cli.doc;

import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Seq;
import dev.arbor.cli.ArborSubcommand;
import dev.arbor.wire.ChangesJsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbor changes}: {@code GET /db/_changes} (the normal, one-shot feed), streamed row by row. */
@Command(name = "changes",
        description = "List changes in sequence order (CouchDB's _changes): {\"results\",\"last_seq\",\"pending\"}.")
public final class ChangesCommand extends ArborSubcommand {
    @Option(names = "--since", paramLabel = "SEQ", defaultValue = "0", description = "only changes after this sequence")
    private String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "-1", description = "at most N rows")
    private long limit;

    @Option(names = "--include-docs", description = "include each document's body as \"doc\"")
    private boolean includeDocs;

    @Override
    protected void run() {
        ChangesOptions options = ChangesOptions.DEFAULT.since(Seq.parse(since)).limit(limit).includeDocs(includeDocs);
        arbor().withDatabase(db -> {
            arbor().output().stream(generator -> {
                var writer = new ChangesJsonWriter(generator);
                writer.finish(db.changes(options, writer));
            });
            return null;
        });
    }
}
