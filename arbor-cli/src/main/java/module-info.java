/**
 * The {@code arbor} command. An application like any other, so it reaches the engine and the server through their
 * exported API; the few server internals it shares (peer resolution for {@code replicate}, the server's HTTP errors,
 * CouchDB's JSON bodies) are exported to it by name. {@code ./arbor} runs it on the class path, where this descriptor
 * is not read; it is here so javac holds the CLI to the same fence as any other user.
 */
module dev.arbor.cli {
    requires dev.arbor.engine;
    requires dev.arbor.server;
    requires dev.arbor.replication;
    requires dev.arbor.wire;
    requires info.picocli;
    requires java.logging;

    // picocli builds the commands reflectively: it instantiates them and sets their annotated fields.
    opens dev.arbor.cli to info.picocli;
    opens dev.arbor.cli.account to info.picocli;
    opens dev.arbor.cli.db to info.picocli;
    opens dev.arbor.cli.doc to info.picocli;
    opens dev.arbor.cli.replicate to info.picocli;
    opens dev.arbor.cli.server to info.picocli;
    opens dev.arbor.cli.key to info.picocli;
}
