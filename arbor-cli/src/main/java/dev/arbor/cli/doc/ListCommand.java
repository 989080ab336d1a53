package dev.arbor.cli.doc;

import dev.arbor.api.AllDocsOptions;
import dev.arbor.cli.ArborSubcommand;
import dev.arbor.wire.AllDocsJsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code arbor list}: {@code GET /db/_all_docs}, streamed row by row. */
@Command(name = "list",
        description = "List documents by id (CouchDB's _all_docs): {\"total_rows\",\"offset\",\"rows\"}.")
public final class ListCommand extends ArborSubcommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "-1", description = "at most N rows")
    private long limit;

    @Option(names = "--include-docs", description = "include each document's body as \"doc\"")
    private boolean includeDocs;

    @Option(names = "--startkey", paramLabel = "ID", description = "start at this id (a plain id, not JSON)")
    private String startkey;

    @Option(names = "--endkey", paramLabel = "ID", description = "end at this id, inclusive (a plain id, not JSON)")
    private String endkey;

    @Option(names = "--descending", description = "newest id first; --startkey is then the higher id")
    private boolean descending;

    @Override
    protected void run() {
        AllDocsOptions options = AllDocsOptions.DEFAULT.limit(limit).includeDocs(includeDocs)
                .startkey(startkey).endkey(endkey).descending(descending);
        arbor().withDatabase(db -> {
            arbor().output().stream(generator -> {
                var writer = new AllDocsJsonWriter(generator, includeDocs);
                db.allDocs(options, writer);
                writer.finish();
            });
            return null;
        });
    }
}
