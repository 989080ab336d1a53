package dev.arbor.server.protocol;

import dev.arbor.api.custom.Api;
import dev.arbor.server.api.ApiHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The custom APIs a server serves, by name. Filled while the server is assembled (one thread, the builder's) and only
 * read once it runs, by any number of request threads; {@link #freeze} marks the hand-over, after which it is
 * immutable.
 */
public final class CustomApis {
    /** One API with its handler; the two share their type parameters, so a call decodes to what the handler takes. */
    record Registered<Q, R>(Api<Q, R> api, ApiHandler<Q, R> handler) {}

    private Map<String, Registered<?, ?>> byName = new LinkedHashMap<>();
    private boolean frozen;

    /** @throws IllegalArgumentException when an API of that name is registered already */
    public <Q, R> void register(Api<Q, R> api, ApiHandler<Q, R> handler) {
        if (frozen) {
            throw new IllegalStateException("the server has started: APIs are registered before");
        }
        if (byName.putIfAbsent(api.name(), new Registered<>(api, java.util.Objects.requireNonNull(handler))) != null) {
            throw new IllegalArgumentException("a custom API named " + api.name() + " is registered already");
        }
    }

    /** Called once the server is assembled: from here on the registry is read-only and safely shared. */
    public CustomApis freeze() {
        byName = Map.copyOf(byName);
        frozen = true;
        return this;
    }

    Optional<Registered<?, ?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
