package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.Overflow;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.SetResult;
import dev.arbor.api.keyvalue.SwapResult;
import dev.arbor.api.keyvalue.Value;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;

import java.util.Optional;

/** A database's key-value store on the server: each operation one request, atomic there as it is locally. */
final class ProtocolKeyValue implements KeyValueStore {
    private final ReconnectingConnection connection;
    private final String db;
    private final String namespace;

    ProtocolKeyValue(ReconnectingConnection connection, String db, String namespace) {
        this.connection = connection;
        this.db = db;
        this.namespace = namespace;
    }

    private ObjectNode args(String key) {
        return Values.object().put("db", db).put("namespace", namespace).put("key", key);
    }

    @Override
    public KeyValueStore namespace(String namespace) {
        return new ProtocolKeyValue(connection, db, namespace);
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public SetResult set(String key, Value value, SetOptions options) {
        ObjectNode args = args(key);
        args.set("value", Values.value(value));
        args.set("options", Values.setOptions(options));
        return Values.setResult(connection.call(Op.KV_SET, args));
    }

    @Override
    public Optional<Value> get(String key) {
        return Values.optionalValue(connection.call(Op.KV_GET, args(key)));
    }

    @Override
    public Optional<Value> take(String key) {
        return Values.optionalValue(connection.call(Op.KV_TAKE, args(key)));
    }

    @Override
    public KeyStatus delete(String key) {
        return Values.keyStatus(connection.call(Op.KV_DELETE, args(key)));
    }

    @Override
    public long increment(String key, long amount, Overflow overflow) {
        return connection.call(Op.KV_INCREMENT, args(key).put("amount", amount).put("overflow", overflow.name())).asLong();
    }

    @Override
    public long decrement(String key, long amount, Overflow overflow) {
        return connection.call(Op.KV_DECREMENT, args(key).put("amount", amount).put("overflow", overflow.name())).asLong();
    }

    @Override
    public double increment(String key, double amount) {
        return connection.call(Op.KV_INCREMENT_FLOAT, args(key).put("amount", amount)).asDouble();
    }

    @Override
    public double decrement(String key, double amount) {
        return connection.call(Op.KV_DECREMENT_FLOAT, args(key).put("amount", amount)).asDouble();
    }

    @Override
    public SwapResult compareAndSwap(String key, Optional<Value> expected, Value replacement) {
        ObjectNode args = args(key);
        args.set("expected", Values.optionalValue(expected));
        args.set("replacement", Values.value(replacement));
        return Values.swapResult(connection.call(Op.KV_COMPARE_AND_SWAP, args));
    }
}
