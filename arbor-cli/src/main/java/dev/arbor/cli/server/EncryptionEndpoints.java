package dev.arbor.cli.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.options.KeyRotationReport;
import dev.arbor.server.ServerExtension;
import dev.arbor.server.endpoint.ServerContext;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.RequestPath;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The encryption keys of a running server's storage, for server admins: {@code GET /_encryption} lists the keys, the
 * key of each database and the rotations under way; {@code POST /_encryption/NAME/_rotate} starts a rotation of key
 * NAME and answers 202 at once, the re-encryption going on in the background while the server serves.
 *
 * <p>Threads: request threads; {@link #rotations} is a concurrent map, each entry replaced when its rotation ends.
 */
final class EncryptionEndpoints implements ServerExtension {
    private final Storage storage;
    /** Key name → its latest rotation. */
    private final Map<String, CompletableFuture<KeyRotationReport>> rotations = new ConcurrentHashMap<>();

    /** @param storage the storage as opened, not the guarded face requests see (key rotation is the engine's) */
    EncryptionEndpoints(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void register(Router router, ServerContext context) {
        router.server("_encryption", new Route()
                .get(Access.SERVER_ADMIN, this::list)
                .post(Access.SERVER_ADMIN, this::rotate));
    }

    private void list(HttpExchange ex) throws IOException {
        if (ex.path().size() != 1) {
            throw new ArborException.NotFound("missing");
        }
        ObjectNode body = Json.object();
        Arbor.encryptionKeys(storage).forEach(body.putArray("keys")::add);
        ObjectNode databases = body.putObject("databases");
        for (String name : storage.listDatabases()) {
            Arbor.encryptionKeyOf(storage, name).ifPresentOrElse(key -> databases.put(name, key),
                    () -> databases.putNull(name));
        }
        ObjectNode rotating = body.putObject("rotations");
        rotations.forEach((name, rotation) -> rotating.set(name, describe(rotation)));
        ex.sendJson(200, body);
    }

    private void rotate(HttpExchange ex) throws IOException {
        RequestPath path = ex.path();
        if (path.size() != 3 || !path.raw(2).equals("_rotate")) {
            throw new ArborException.NotFound("missing");
        }
        String name = path.segment(1);
        CompletableFuture<KeyRotationReport> running = rotations.get(name);
        if (running != null && !running.isDone()) {
            throw new ArborException.Conflict("A rotation of key " + name + " is under way.");
        }
        CompletableFuture<KeyRotationReport> rotation = Arbor.rotateEncryptionKey(storage, name);
        rotations.put(name, rotation);
        ex.sendJson(202, Json.object().put("ok", true).put("key", name));
    }

    private static ObjectNode describe(CompletableFuture<KeyRotationReport> rotation) {
        ObjectNode out = Json.object();
        if (!rotation.isDone()) {
            return out.put("state", "running");
        }
        try {
            KeyRotationReport report = rotation.join();
            out.put("state", "done").put("sealing", report.sealing()).put("databases", report.databases())
                    .put("rewritten", report.rewritten());
            report.retired().forEach(out.putArray("retired")::add);
        } catch (RuntimeException e) {
            out.put("state", "failed").put("reason", String.valueOf(e.getCause() != null ? e.getCause() : e));
        }
        return out;
    }
}
