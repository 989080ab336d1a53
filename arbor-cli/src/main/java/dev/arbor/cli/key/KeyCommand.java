package dev.arbor.cli.key;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.cli.ArborSubcommand;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.options.KeyRotationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.concurrent.ExecutionException;

/**
 * {@code arbor key list|rotate}: the encryption keys of an encrypted storage, opened with the master key that
 * {@code [encryption]} names (as {@code serve} opens it; stop the server first, it holds the directory).
 */
@Command(name = "key", description = "List and rotate the encryption keys of an encrypted storage.",
        subcommands = {KeyCommand.ListAll.class, KeyCommand.Rotate.class})
public final class KeyCommand extends ArborSubcommand {
    @Override
    protected void run() {
        throw new ParameterException(spec().commandLine(), "Missing a command: list or rotate");
    }

    @Command(name = "list", description = "List the key names and the key each database is encrypted with.")
    public static final class ListAll extends ArborSubcommand {
        @Override
        protected void run() {
            ObjectNode body = arbor().withExistingStorage(storage -> {
                ObjectNode out = Json.object();
                Arbor.encryptionKeys(storage).forEach(out.putArray("keys")::add);
                ObjectNode databases = out.putObject("databases");
                for (String name : storage.listDatabases()) {
                    Arbor.encryptionKeyOf(storage, name).ifPresentOrElse(key -> databases.put(name, key),
                            () -> databases.putNull(name));
                }
                return out;
            });
            arbor().output().print(body);
        }
    }

    @Command(name = "rotate", description = "Seal with a new key of NAME from now on and re-encrypt what the old one"
            + " sealed; returns when the old key is gone.")
    public static final class Rotate extends ArborSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the key's name (see key list)")
        private String name;

        @Override
        protected void run() {
            KeyRotationReport report = arbor().withExistingStorage(storage -> {
                try {
                    return Arbor.rotateEncryptionKey(storage, name).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ArborException.Internal("interrupted; the rotation resumes when the storage next opens", e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof ArborException arbor) {
                        throw arbor;
                    }
                    throw new ArborException.Internal("the rotation failed: " + e.getCause(), e.getCause());
                }
            });
            ObjectNode out = Json.object().put("ok", true).put("key", report.key()).put("sealing", report.sealing());
            report.retired().forEach(out.putArray("retired")::add);
            out.put("databases", report.databases()).put("rewritten", report.rewritten());
            arbor().output().print(out);
        }
    }
}
