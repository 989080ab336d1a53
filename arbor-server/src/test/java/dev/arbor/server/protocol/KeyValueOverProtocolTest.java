package dev.arbor.server.protocol;

import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.Overflow;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.SwapResult;
import dev.arbor.api.keyvalue.Value;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A database's key-value store used over the protocol is the server's own: same values, same atomic operations. */
class KeyValueOverProtocolTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    private ProtocolStorage remote;
    private KeyValueStore kv;
    private KeyValueStore local;

    @BeforeEach
    void connect() {
        String db = "kv-" + System.nanoTime();
        server.storage().createDatabase(db);
        remote = server.connectAsAdmin();
        kv = remote.database(db).keyValue().orElseThrow();
        local = server.storage().database(db).keyValue().orElseThrow();
    }

    @AfterEach
    void close() {
        remote.close();
    }

    @Test
    void everyKindOfValueComesBackAsItWasSet() {
        kv.set("bytes", new byte[] {0, 1, (byte) 0xff});
        kv.set("text", "hello");
        kv.set("integer", 42L);
        kv.set("float", 2.5);
        kv.set("json", Map.of("a", 1));

        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, kv.get("bytes").orElseThrow().asBytes());
        assertEquals("hello", kv.get("text", String.class).orElseThrow());
        assertEquals(42L, kv.get("integer").orElseThrow().asLong());
        assertEquals(2.5, kv.get("float").orElseThrow().asDouble());
        assertEquals(Map.of("a", 1), kv.get("json", Map.class).orElseThrow());
        assertEquals(Optional.empty(), kv.get("absent"));
    }

    @Test
    void aValueSetOverTheNetworkIsTheServersAndTheOtherWayRound() {
        kv.set("remote", "from the client");
        local.set("local", "from the server");

        assertEquals("from the client", local.get("remote", String.class).orElseThrow());
        assertEquals("from the server", kv.get("local", String.class).orElseThrow());
    }

    @Test
    void setOptionsAreHonoured() {
        assertEquals(KeyStatus.NOT_CHANGED, kv.set("k", 1L, SetOptions.DEFAULT.onlyIfExists()).status());
        assertEquals(KeyStatus.INSERTED, kv.set("k", 1L, SetOptions.DEFAULT.onlyIfVacant()).status());
        var replaced = kv.set("k", 2L, SetOptions.DEFAULT.returnPrevious());
        assertEquals(KeyStatus.UPDATED, replaced.status());
        assertEquals(Optional.of(Value.of(1L)), replaced.previous());
        kv.set("brief", "x", SetOptions.DEFAULT.expireIn(Duration.ofMillis(1)));
        assertTrue(waitUntilVacant("brief"), "an expired key reads as vacant");
    }

    @Test
    void countersAndSwapsAreAtomicOnTheServer() {
        assertEquals(5, kv.increment("n", 5));
        assertEquals(3, kv.decrement("n", 2));
        assertEquals(Long.MAX_VALUE, kv.increment("n", Long.MAX_VALUE, Overflow.SATURATE));
        assertThrows(ArborException.BadRequest.class, () -> kv.increment("n", 1, Overflow.CHECKED));
        assertEquals(1.5, kv.increment("f", 1.5));

        assertTrue(kv.compareAndSwap("lock", Optional.empty(), Value.of("me")).swapped());
        SwapResult lost = kv.compareAndSwap("lock", Optional.empty(), Value.of("you"));
        assertEquals(new SwapResult.Mismatch(Optional.of(Value.of("me"))), lost);
        assertEquals(Optional.of(Value.of("me")), kv.take("lock"));
        assertEquals(KeyStatus.NOT_CHANGED, kv.delete("lock"));
    }

    @Test
    void namespacesKeepTheirKeysApart() {
        kv.namespace("a").set("k", "in a");
        kv.namespace("b").set("k", "in b");

        assertEquals("in a", local.namespace("a").get("k", String.class).orElseThrow());
        assertEquals("in b", kv.namespace("b").get("k", String.class).orElseThrow());
        assertEquals(Optional.empty(), kv.get("k"));
    }

    private boolean waitUntilVacant(String key) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (kv.get(key).isEmpty()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }
}
