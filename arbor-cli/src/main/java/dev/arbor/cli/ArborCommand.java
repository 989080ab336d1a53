package dev.arbor.cli;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.options.EncryptionOptions;
import dev.arbor.options.VaultKeyStorage;
import dev.arbor.server.ServerConfig;
import dev.arbor.cli.key.KeyCommand;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.cli.account.GroupCommand;
import dev.arbor.cli.account.RoleCommand;
import dev.arbor.cli.account.UserCommand;
import dev.arbor.cli.db.CompactCommand;
import dev.arbor.cli.db.DbCommand;
import dev.arbor.cli.db.InfoCommand;
import dev.arbor.cli.db.InitCommand;
import dev.arbor.cli.db.StatusCommand;
import dev.arbor.cli.doc.ChangesCommand;
import dev.arbor.cli.doc.DeleteCommand;
import dev.arbor.cli.doc.GetCommand;
import dev.arbor.cli.doc.ListCommand;
import dev.arbor.cli.doc.PutCommand;
import dev.arbor.cli.replicate.ReplicateCommand;
import dev.arbor.cli.server.ServeCommand;
import dev.arbor.core.error.ArborException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code arbor}: the global options, and the one place that opens the storage in {@code --data}.
 * Options are inherited, so {@code arbor get a --db notes} works as well as {@code arbor --db notes get a}.
 */
@Command(name = "arbor",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Arbor, a CouchDB-compatible document database. Results are JSON on stdout; "
                + "errors are CouchDB error bodies on stderr with exit status 1 (2 for a wrong command line).",
        subcommands = {
                InitCommand.class, StatusCommand.class, InfoCommand.class, CompactCommand.class, DbCommand.class,
                PutCommand.class, GetCommand.class, DeleteCommand.class, ListCommand.class, ChangesCommand.class,
                ServeCommand.class, ReplicateCommand.class, UserCommand.class, GroupCommand.class, RoleCommand.class,
                KeyCommand.class,
                LauncherCommands.Test.class, LauncherCommands.Bench.class, LauncherCommands.Example.class,
                LauncherCommands.Install.class
        })
public final class ArborCommand implements Callable<Integer> {
    /** CouchDB's reason when a database is missing. */
    static final String NO_DATABASE = "Database does not exist.";

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "arbor-data", scope = ScopeType.INHERIT,
            description = "the storage directory (default: ./arbor-data)")
    private Path data;

    @Option(names = "--db", paramLabel = "NAME", defaultValue = Arbor.DEFAULT_DATABASE, scope = ScopeType.INHERIT,
            description = "the database to work on (default: ${DEFAULT-VALUE})")
    private String db;

    @Option(names = "--compact", scope = ScopeType.INHERIT,
            description = "print JSON on one line even when stdout is a terminal")
    private boolean compact;

    @Spec
    private CommandSpec spec;

    private final Io io;

    public ArborCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command");
    }

    public Path dataDir() {
        return data.toAbsolutePath().normalize();
    }

    public String dbName() {
        return db;
    }

    public JsonOutput output() {
        return new JsonOutput(io.out(), io.stdoutIsTerminal() && !compact);
    }

    public InputStream stdin() {
        return io.in();
    }

    public PrintStream stdout() {
        return io.out();
    }

    public PrintStream stderr() {
        return io.err();
    }

    /** Whether a person watches stderr, so progress may be drawn there. */
    public boolean stderrIsTerminal() {
        return io.stderrIsTerminal();
    }

    public boolean storageExists() {
        return Files.isDirectory(dataDir());
    }

    /**
     * How this command opens the storage in {@code --data}: with the at-rest encryption the environment and the data
     * directory's {@code arbor.ini} give ({@code [encryption]}), so every command opens an encrypted storage as
     * {@code serve} does.
     */
    public ArborOptions storageOptions() {
        return storageOptions(dataDir());
    }

    /** {@link #storageOptions()} for the storage in {@code dir} ({@code serve} takes it from flags or environment). */
    public static ArborOptions storageOptions(Path dir) {
        return ServerConfig.encryption(dir, System.getenv())
                .map(encryption -> ArborOptions.DEFAULT.encryption(encryptionOptions(encryption)))
                .orElse(ArborOptions.DEFAULT);
    }

    /** The engine's form of the server's {@code [encryption]} settings. */
    public static EncryptionOptions encryptionOptions(ServerConfig.Encryption encryption) {
        VaultKeyStorage vault = encryption.keyFile() != null ? VaultKeyStorage.keyFile(encryption.keyFile())
                : VaultKeyStorage.passphrase(encryption.passphrase());
        EncryptionOptions options = EncryptionOptions.with(vault).defaultKey(encryption.defaultKey());
        for (var databaseKey : encryption.databaseKeys().entrySet()) {
            options = options.databaseKey(databaseKey.getKey(), databaseKey.getValue());
        }
        return options;
    }

    /** Runs {@code action} on the storage in {@code --data}, creating the directory if needed. */
    public <T> T withStorage(Function<Storage, T> action) {
        try (Storage storage = Arbor.storage(dataDir(), storageOptions())) {
            return action.apply(storage);
        }
    }

    /**
     * Runs {@code action} on the storage in {@code --data}, which must exist: a command that only reads
     * or edits never leaves an empty storage behind because of a mistyped {@code --data}.
     */
    public <T> T withExistingStorage(Function<Storage, T> action) {
        if (!storageExists()) {
            throw new ArborException.NotFound(NO_DATABASE);
        }
        return withStorage(action);
    }

    /** Runs {@code action} on the {@code --db} database; CouchDB's {@code not_found} when it does not exist. */
    public <T> T withDatabase(Function<Database, T> action) {
        return withExistingStorage(storage -> {
            try (Database database = storage.database(db)) {
                return action.apply(database);
            }
        });
    }
}
