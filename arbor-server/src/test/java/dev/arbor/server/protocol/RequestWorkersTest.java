package dev.arbor.server.protocol;

import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.client.protocol.ProtocolStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code request_workers} bounds the requests the whole server runs at once; requests past it wait, never fail. */
class RequestWorkersTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = SecuredLoopbackServer.withLimits(limits -> limits.withRequestWorkers(1));

    @Test
    void atMostThatManyRequestsRunAtOnceAndTheRestWait() throws Exception {
        RequestWorkers workers = new RequestWorkers(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofVirtual().start(() -> workers.run(() -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    go.await(5, TimeUnit.SECONDS);
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                return null;
            })));
        }
        Thread.sleep(200);
        assertEquals(2, workers.busy(), "two run, fourteen wait");
        go.countDown();
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        assertEquals(2, peak.get());
        assertEquals(0, workers.busy());
    }

    @Test
    void manyConnectionsPipeliningThroughOneWorkerAllSucceed() throws Exception {
        server.storage().createDatabase("one-worker");
        List<ProtocolStorage> clients = new ArrayList<>();
        List<Future<?>> calls = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 4; c++) {
                ProtocolStorage client = server.connectAsAdmin();
                clients.add(client);
                KeyValueStore kv = client.database("one-worker").keyValue().orElseThrow();
                for (int i = 0; i < 50; i++) {
                    calls.add(pool.submit(() -> kv.increment("counter", 1)));
                }
            }
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.forEach(ProtocolStorage::close);
        }
        assertEquals(200L, server.storage().database("one-worker").keyValue().orElseThrow().get("counter").orElseThrow().asLong());
        assertTrue(calls.stream().allMatch(Future::isDone));
    }
}
