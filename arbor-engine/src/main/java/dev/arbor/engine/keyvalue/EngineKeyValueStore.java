package dev.arbor.engine.keyvalue;

import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.Overflow;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.SetResult;
import dev.arbor.api.keyvalue.SwapResult;
import dev.arbor.api.keyvalue.Value;
import dev.arbor.core.error.ArborException;

import java.util.Objects;
import java.util.Optional;

/** A database's {@link KeyValueStore} as seen through one namespace: a cheap view, many may share a service. */
final class EngineKeyValueStore implements KeyValueStore {
    private final KeyValueService service;
    private final String namespace;

    EngineKeyValueStore(KeyValueService service, String namespace) {
        this.service = service;
        this.namespace = namespace;
    }

    @Override
    public KeyValueStore namespace(String namespace) {
        return new EngineKeyValueStore(service, Objects.requireNonNull(namespace, "namespace"));
    }

    @Override
    public String namespace() {
        return namespace;
    }

    private byte[] key(String key) {
        if (key == null) {
            throw new ArborException.BadRequest("bad_request", "a key cannot be null");
        }
        return KeyLayout.entry(namespace, key);
    }

    private <R> R apply(String key, KeyOperation<R> operation) {
        return service.mode().apply(key(key), operation);
    }

    @Override
    public SetResult set(String key, Value value, SetOptions options) {
        return apply(key, Operations.set(value, options));
    }

    @Override
    public Optional<Value> get(String key) {
        StoredEntry entry = service.mode().read(key(key));
        return entry != null && entry.aliveAt(service.clock().millis()) ? Optional.of(entry.value()) : Optional.empty();
    }

    @Override
    public Optional<Value> take(String key) {
        return apply(key, Operations.take());
    }

    @Override
    public KeyStatus delete(String key) {
        return apply(key, Operations.delete());
    }

    @Override
    public long increment(String key, long amount, Overflow overflow) {
        return apply(key, Operations.addInteger(amount, false, overflow));
    }

    @Override
    public long decrement(String key, long amount, Overflow overflow) {
        return apply(key, Operations.addInteger(amount, true, overflow));
    }

    @Override
    public double increment(String key, double amount) {
        return apply(key, Operations.addFloat(amount));
    }

    @Override
    public double decrement(String key, double amount) {
        return apply(key, Operations.addFloat(-amount));
    }

    @Override
    public SwapResult compareAndSwap(String key, Optional<Value> expected, Value replacement) {
        return apply(key, Operations.compareAndSwap(Objects.requireNonNull(expected, "expected"), replacement));
    }
}
