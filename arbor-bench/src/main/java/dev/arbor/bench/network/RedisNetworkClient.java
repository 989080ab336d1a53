package dev.arbor.bench.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.bench.workload.NotApplicable;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis through Lettuce, the anchor: one connection shared by every calling thread, as Arbor's ws:// client shares its
 * one WebSocket. Lettuce multiplexes it the same way (each command is written as it is called and its caller waits for
 * the answer matched to it), so both systems get the same threads and the same requests in flight. Keys are strings,
 * values bytes; a document is its JSON line under its id.
 *
 * <p>Threads: the main connection and the client are made in the constructor and used from any thread; Lettuce's
 * event loop (its own threads) reads answers and calls subscribers' listeners.
 */
public final class RedisNetworkClient implements NetworkClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisCommands<String, byte[]> commands;

    /** {@code server}: {@code redis://127.0.0.1:PORT}. */
    public RedisNetworkClient(String server) {
        this.client = RedisClient.create(RedisURI.create(server));
        this.connection = client.connect(CODEC);
        this.commands = connection.sync();
    }

    @Override
    public void reset(String pass) {
        commands.flushall();
    }

    @Override
    public void set(String key, byte[] value) {
        commands.set(key, value);
    }

    @Override
    public boolean get(String key) {
        return commands.get(key) != null;
    }

    @Override
    public void publish(String topic, String payload) {
        commands.publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Subscription subscribe(String topic, int capacity, Runnable onMessage) {
        StatefulRedisPubSubConnection<String, byte[]> own = client.connectPubSub(CODEC);
        own.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                onMessage.run();
            }
        });
        own.sync().subscribe(topic);
        return own::close;
    }

    @Override
    public void loadDocs(List<String> jsonLines) {
        for (int from = 0; from < jsonLines.size(); from += 1000) {
            Map<String, byte[]> batch = new LinkedHashMap<>();
            for (String line : jsonLines.subList(from, Math.min(jsonLines.size(), from + 1000))) {
                batch.put(idOf(line), line.getBytes(StandardCharsets.UTF_8));
            }
            commands.mset(batch);
        }
    }

    private static String idOf(String jsonLine) {
        try {
            return MAPPER.readTree(jsonLine).get("_id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean getDoc(String id) {
        return commands.get(id) != null;
    }

    @Override
    public boolean getDocOverHttp(String id) {
        throw new NotApplicable("Redis has no HTTP API");
    }

    @Override
    public long[] liveQueryDelays(int warmup, int writes) {
        throw new NotApplicable("Redis has no live queries");
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
