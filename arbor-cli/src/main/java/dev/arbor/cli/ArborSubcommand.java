package dev.arbor.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A command under {@code arbor}: reaches the global options and streams through {@link #arbor()}. */
public abstract class ArborSubcommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    protected ArborCommand arbor() {
        return (ArborCommand) spec.root().userObject();
    }

    protected CommandSpec spec() {
        return spec;
    }

    @Override
    public final Integer call() {
        run();
        return 0;
    }

    /** Does the work and prints the result; failures are thrown as {@link dev.arbor.core.error.ArborException}s. */
    protected abstract void run();
}
