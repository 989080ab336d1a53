package dev.arbor.server.protocol;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Reports a contract test as skipped, naming the facet, when it failed only because it used a facet the Arbor protocol
 * does not carry yet (the client's {@link UnsupportedOperationException}, thrown or found as the cause of a failed
 * assertion). Every other failure stays a failure, so what the protocol does carry is held to the whole contract.
 */
final class UncarriedFacets implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private static final String MARK = "not carried by the Arbor protocol";

    /** A nested suite's set-up may need the facet too (a revision limit set before each test). */
    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        handleTestExecutionException(context, thrown);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnsupportedOperationException uncarried && String.valueOf(uncarried.getMessage()).contains(MARK)) {
                throw new TestAbortedException("needs a facet the protocol does not carry yet: " + uncarried.getMessage());
            }
        }
        throw thrown;
    }
}
