package dev.arbor.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The streams a run of the CLI reads and writes. Tests pass their own, so a command runs in-process
 * exactly as it runs from a shell.
 *
 * @param stdoutIsTerminal whether a person is reading stdout: JSON is then pretty-printed
 * @param stderrIsTerminal whether a person is watching stderr: long commands then draw progress there
 */
public record Io(InputStream in, PrintStream out, PrintStream err, boolean stdoutIsTerminal, boolean stderrIsTerminal) {

    /** Streams whose stderr is not a terminal (no progress drawn). */
    public Io(InputStream in, PrintStream out, PrintStream err, boolean stdoutIsTerminal) {
        this(in, out, err, stdoutIsTerminal, false);
    }

    /**
     * The process's own streams. Java cannot ask whether stdout alone is a terminal ({@code System.console()}
     * answers for stdin and stdout together), so the {@code ./arbor} launcher tests it with {@code [ -t 1 ]}
     * and passes the answer as {@code -Darbor.stdout.terminal}; stderr likewise ({@code [ -t 2 ]},
     * {@code -Darbor.stderr.terminal}).
     */
    public static Io system() {
        return new Io(System.in, System.out, System.err, Boolean.getBoolean("arbor.stdout.terminal"),
                Boolean.getBoolean("arbor.stderr.terminal"));
    }
}
