package dev.arbor.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GracefulShutdownTest {
    @Test
    void closeLetsARequestInFlightFinishThenRefusesConnections(@TempDir Path data) throws Exception {
        TestServer server = TestServer.start(ServerConfig.defaults(data).withPort(0).withAccessLog(false)
                .withShutdownTimeout(Duration.ofSeconds(20)));
        server.request("PUT", "/db");
        // A longpoll that parks for a second: it is in flight when the stop begins.
        CompletableFuture<TestServer.Reply> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return server.request("GET", "/db/_changes?feed=longpoll&since=0&timeout=1000");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.server().requestsInFlight() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, server.server().requestsInFlight());
        server.close();
        TestServer.Reply reply = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, reply.status());
        assertEquals(0, reply.json().path("last_seq").asLong());
        assertThrows(java.net.ConnectException.class, () -> server.request("GET", "/"));
    }
}
