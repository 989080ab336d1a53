package dev.arbor.api.permission;

import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.Overflow;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.SetResult;
import dev.arbor.api.keyvalue.SwapResult;
import dev.arbor.api.keyvalue.Value;
import dev.arbor.api.keyvalue.KeyValueStore;

import java.util.Optional;

/**
 * A database's key-value store used as one caller: each key needs {@code kv.get}, {@code kv.set} or
 * {@code kv.delete} on {@link ResourceName#keyValueKey}, whose key segment is {@code namespace/key} in a namespace
 * and the bare key outside one (so a statement may grant a namespace by prefix). Reading and writing at once
 * (take, increment, compare-and-swap) needs both actions.
 */
final class PermittedKeyValue implements KeyValueStore {
    private final KeyValueStore store;
    private final String database;
    private final Permissions permissions;

    PermittedKeyValue(KeyValueStore store, String database, Permissions permissions) {
        this.store = store;
        this.database = database;
        this.permissions = permissions;
    }

    private void need(String key, Action... actions) {
        String namespace = store.namespace();
        ResourceName name = ResourceName.keyValueKey(database,
                namespace == null || namespace.isEmpty() ? key : namespace + "/" + key);
        for (Action action : actions) {
            permissions.check(name, action);
        }
    }

    @Override
    public KeyValueStore namespace(String namespace) {
        return new PermittedKeyValue(store.namespace(namespace), database, permissions);
    }

    @Override
    public String namespace() {
        return store.namespace();
    }

    @Override
    public SetResult set(String key, Value value, SetOptions options) {
        need(key, Action.KV_SET);
        return store.set(key, value, options);
    }

    @Override
    public Optional<Value> get(String key) {
        need(key, Action.KV_GET);
        return store.get(key);
    }

    @Override
    public Optional<Value> take(String key) {
        need(key, Action.KV_GET, Action.KV_DELETE);
        return store.take(key);
    }

    @Override
    public KeyStatus delete(String key) {
        need(key, Action.KV_DELETE);
        return store.delete(key);
    }

    @Override
    public long increment(String key, long amount, Overflow overflow) {
        need(key, Action.KV_GET, Action.KV_SET);
        return store.increment(key, amount, overflow);
    }

    @Override
    public long decrement(String key, long amount, Overflow overflow) {
        need(key, Action.KV_GET, Action.KV_SET);
        return store.decrement(key, amount, overflow);
    }

    @Override
    public double increment(String key, double amount) {
        need(key, Action.KV_GET, Action.KV_SET);
        return store.increment(key, amount);
    }

    @Override
    public double decrement(String key, double amount) {
        need(key, Action.KV_GET, Action.KV_SET);
        return store.decrement(key, amount);
    }

    @Override
    public SwapResult compareAndSwap(String key, Optional<Value> expected, Value replacement) {
        need(key, Action.KV_GET, Action.KV_SET);
        return store.compareAndSwap(key, expected, replacement);
    }
}
