package dev.arbor.server;

import dev.arbor.testkit.Eventually;
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
        // The server counts a request until after its client has the answer: wait until the PUT is gone, so the
        // one request in flight below is the longpoll.
        Eventually.until("the PUT left", () -> server.server().requestsInFlight() == 0);
        // A longpoll that parks until the stop ends it (not for a set time, which a busy machine could outlast
        // before the stop begins): it is in flight when the stop begins.
        CompletableFuture<TestServer.Reply> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return server.request("GET", "/db/_changes?feed=longpoll&since=0&timeout=600000");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Eventually.until("the longpoll is in flight", () -> server.server().requestsInFlight() == 1);
        server.close();
        TestServer.Reply reply = inFlight.get(60, TimeUnit.SECONDS);
        assertEquals(200, reply.status());
        assertEquals(0, reply.json().path("last_seq").asLong());
        assertThrows(java.net.ConnectException.class, () -> server.request("GET", "/"));
    }
}
