package dev.arbor.engine.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.DocResult;
import dev.arbor.api.hook.DatabaseHook;
import dev.arbor.core.doc.DocumentParser;
import dev.arbor.core.error.ArborException;

import java.util.List;

/**
 * The {@link DatabaseHook}s of one database, run in registration order. Immutable; runs on the writing caller's
 * thread, never inside the writer, so a slow hook delays only its own write.
 */
public final class WriteHooks {
    private static final System.Logger LOG = System.getLogger(WriteHooks.class.getName());

    private final String database;
    private final List<DatabaseHook> hooks;

    public WriteHooks(String database, List<DatabaseHook> hooks) {
        this.database = database;
        this.hooks = List.copyOf(hooks);
    }

    public boolean isEmpty() {
        return hooks.isEmpty();
    }

    /** The document after every before-write hook; local documents pass untouched (they are not replicated data). */
    public ObjectNode beforeWrite(ObjectNode doc) {
        if (hooks.isEmpty() || doc.path("_id").asText("").startsWith(DocumentParser.LOCAL_PREFIX)) {
            return doc;
        }
        ObjectNode current = doc;
        for (DatabaseHook hook : hooks) {
            ObjectNode next;
            try {
                next = hook.beforeWrite(database, current);
            } catch (ArborException e) {
                throw e;
            } catch (RuntimeException e) {
                // A hook's bug must not pass for a rejection the client could act on.
                throw new ArborException.Internal("before-write hook failed: " + e, e);
            }
            if (next == null) {
                throw new ArborException.Internal("a before-write hook returned no document", null);
            }
            current = next;
        }
        return current;
    }

    public void afterWrite(DocResult.Ok written, boolean deleted) {
        afterWrite(written.id(), written.rev(), deleted);
    }

    public void afterWrite(String id, String rev, boolean deleted) {
        if (id.startsWith(DocumentParser.LOCAL_PREFIX)) {
            return;
        }
        for (DatabaseHook hook : hooks) {
            try {
                hook.afterWrite(database, id, rev, deleted);
            } catch (RuntimeException e) {
                // The write is committed; a failing observer cannot undo it.
                LOG.log(System.Logger.Level.WARNING, "after-write hook of " + database + " failed", e);
            }
        }
    }
}
