package dev.arbor.server.couchdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests racing the deletion of their database answer as CouchDB does, before or after it (200/201 or 404),
 * and the PUT that recreates it 201: never 500 "database is closed". Loops, since a race shows only sometimes.
 */
class DatabaseDeletionRaceTest {
    private static final int ROUNDS = 20;
    private static final int CLIENTS = 4;
    private static final Set<Integer> AS_COUCHDB = Set.of(200, 201, 202, 404);

    @Test
    void requestsRacingADeleteAreAnsweredBeforeOrAfterIt(@TempDir Path dir) throws Exception {
        try (ServedArbor arbor = ServedArbor.start(dir)) {
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            long answered = 0;
            for (int round = 0; round < ROUNDS; round++) {
                assertEquals(201, arbor.request("PUT", "/race", null).status());
                AtomicBoolean deleted = new AtomicBoolean();
                CountDownLatch started = new CountDownLatch(CLIENTS);
                List<Thread> clients = new ArrayList<>();
                long[] counts = new long[CLIENTS];
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.add(Thread.ofVirtual().start(() -> {
                        started.countDown();
                        // Until a little after the DELETE, bounded: the DELETE lands somewhere among these.
                        for (int i = 0; i < 40 && !(deleted.get() && i > 3); i++) {
                            for (String[] r : requests(client, i)) {
                                var answer = arbor.request(r[0], r[1], r[2]);
                                counts[client]++;
                                if (!AS_COUCHDB.contains(answer.status())) {
                                    wrong.add(r[0] + " " + r[1] + " -> " + answer.status() + " " + answer.body());
                                }
                            }
                        }
                    }));
                }
                started.await();
                assertEquals(200, arbor.request("DELETE", "/race", null).status());
                deleted.set(true);
                var recreate = arbor.request("PUT", "/race", null);
                assertEquals(201, recreate.status(), recreate.body());
                for (Thread client : clients) {
                    client.join();
                }
                for (long count : counts) {
                    answered += count;
                }
                assertEquals(200, arbor.request("DELETE", "/race", null).status());
            }
            assertTrue(wrong.isEmpty(), "answers CouchDB would not give: " + wrong);
            assertTrue(answered > ROUNDS * CLIENTS * 6L, "the clients ran: " + answered);
        }
    }

    private static String[][] requests(int client, int i) {
        return new String[][] {
                {"PUT", "/race/d" + client + "-" + i, "{}"},
                {"GET", "/race", null},
                {"GET", "/race/d" + client + "-0", null},
                {"GET", "/race/_all_docs", null},
                {"GET", "/race/_changes", null},
                {"POST", "/race/_bulk_docs", "{\"docs\":[{}]}"},
        };
    }
}
