package dev.arbor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The commands the {@code ./arbor} script runs itself, before this program would start: they run Maven or
 * another module's main class. They are declared here so that {@code arbor --help} lists every command a user
 * can type. Reaching one here means the script did not see it as its first word
 * ({@code ./arbor --data x test}) or the script was bypassed ({@code java -cp ... dev.arbor.cli.Main test}).
 */
public final class LauncherCommands {
    /** The commands' names, as the script's {@code case} spells them. */
    static final List<String> NAMES = List.of("test", "bench", "example", "install");

    private LauncherCommands() {}

    abstract static class Launcher implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        /** Whatever followed: the script passes it on (to Maven, the harness, the example), so it is no usage error here. */
        @Unmatched
        private List<String> rest;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "'" + spec.name() + "' is run by the ./arbor script at the"
                    + " repository root and must be its first word: ./arbor " + spec.name() + " ...");
        }
    }

    @Command(name = "test", description = "Run the whole test suite (mvn -B verify); further arguments go to Maven.")
    public static final class Test extends Launcher {}

    @Command(name = "bench", description = "Run the benchmark harness (module arbor-bench): --quick for a short pass,"
            + " --help for its options. It writes under target/bench; --out docs rewrites the committed report"
            + " (docs/benchmarks.md). docs/bench/README.md explains its output.")
    public static final class Bench extends Launcher {}

    @Command(name = "example", description = "Run the example NAME (module arbor-examples) in a temporary directory;"
            + " without NAME, list them.")
    public static final class Example extends Launcher {}

    @Command(name = "install", description = "Build with a JDK 21+ and install the artifacts (dev.arbor:*) into the local"
            + " Maven repository, for projects that depend on them; further arguments go to Maven.")
    public static final class Install extends Launcher {}
}
