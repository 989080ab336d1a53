package dev.arbor.cli;

import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.wire.CouchJson;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

import java.io.PrintStream;

/**
 * Turns a failed command into CouchDB's error body on stderr, {@code {"error":..,"reason":..}}, and
 * exit status {@value #FAILED}. Usage errors never get here: picocli reports them with exit status 2.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    static final int FAILED = 1;

    private final PrintStream err;

    ErrorReporter(PrintStream err) {
        this.err = err;
    }

    @Override
    public int handleExecutionException(Exception exception, CommandLine command, ParseResult parseResult) {
        ArborException failure = exception instanceof ArborException known
                ? known
                // Anything else is a fault of Arbor or of the machine; it is reported the way the
                // server will report it, as CouchDB's 500 body.
                : new ArborException.Internal(exception.toString(), exception);
        err.println(Json.text(CouchJson.error(failure)));
        err.flush();
        return FAILED;
    }
}
