package dev.arbor.server;

import dev.arbor.server.endpoint.ServerContext;
import dev.arbor.server.http.Router;

/** Adds routes to a server before it starts (auth's {@code _session}, attachments, ...). */
@FunctionalInterface
public interface ServerExtension {
    void register(Router router, ServerContext context);
}
