package dev.arbor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code arbor} command's entry point; {@code ./arbor} at the repository root runs it. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Io.system(), args));
    }

    /** Runs one command line with the given streams and returns its exit status. */
    public static int run(Io io, String... args) {
        return commandLine(io).execute(args);
    }

    static CommandLine commandLine(Io io) {
        CommandLine commandLine = new CommandLine(new ArborCommand(io));
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
        commandLine.setExecutionExceptionHandler(new ErrorReporter(io.err()));
        // serve takes only --data of the global options: --db and --compact would be accepted there and mean
        // nothing (it serves every database and prints no JSON), so its help does not offer them.
        withoutOptions(commandLine.getSubcommands().get("serve"), "--db", "--compact");
        // The script's own commands take none of them.
        for (String launcherCommand : LauncherCommands.NAMES) {
            withoutOptions(commandLine.getSubcommands().get(launcherCommand), "--data", "--db", "--compact");
        }
        return commandLine;
    }

    private static void withoutOptions(CommandLine command, String... names) {
        CommandSpec spec = command.getCommandSpec();
        for (String name : names) {
            spec.remove(spec.findOption(name));
        }
    }
}
