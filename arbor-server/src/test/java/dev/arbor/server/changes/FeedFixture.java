package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A database in memory with a changes service over it, and ways to run feeds and watch their output. */
final class FeedFixture implements AutoCloseable {
    final Storage storage = Arbor.inMemoryStorage();
    final Database db = storage.createDatabase("feeds");
    final ChangesService service;

    FeedFixture() {
        this(ChangesConfig.DEFAULT);
    }

    FeedFixture(ChangesConfig config) {
        this.service = new ChangesService(config);
    }

    /** A JSON object written with single quotes for readability: {@code doc("{'_id':'a'}")}. */
    static ObjectNode doc(String singleQuotedJson) {
        return Json.parseObject(singleQuotedJson.replace('\'', '"'));
    }

    String put(String singleQuotedJson) {
        return db.put(doc(singleQuotedJson)).rev();
    }

    /** Runs a feed that ends by itself and returns what it wrote. */
    String run(ChangesRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChangesFeed feed = service.open(db, request, out)) {
            feed.run();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Runs a normal feed and parses its body. */
    JsonNode runJson(ChangesRequest request) {
        return Json.parse(run(request));
    }

    /** Starts a feed on a virtual thread, as the server runs each request. */
    Running start(ChangesRequest request) {
        return start(db, request);
    }

    /** Starts a feed on {@code database} (this fixture's, or a wrapper of it). */
    Running start(Database database, ChangesRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChangesFeed feed = service.open(database, request, out);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (feed) {
                feed.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return new Running(feed, out, done);
    }

    /** A feed running on its own virtual thread; {@link ByteArrayOutputStream} is synchronized, so its output can be read meanwhile. */
    record Running(ChangesFeed feed, ByteArrayOutputStream out, CompletableFuture<Void> done) {
        String output() {
            return out.toString(StandardCharsets.UTF_8);
        }

        /** Waits until the output satisfies {@code condition}; fails after the timeout. */
        String awaitOutput(Predicate<String> condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String text = output();
                if (condition.test(text)) {
                    return text;
                }
                Thread.sleep(5);
            }
            throw new AssertionError("output never matched; it is: " + output());
        }

        /** Waits for the feed to end and returns everything it wrote. */
        String awaitEnd(Duration timeout) throws Exception {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return output();
        }

        boolean isRunning() {
            return !done.isDone();
        }
    }

    /** Lines of a continuous feed, blank lines (heartbeats) included. */
    static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.split("\n", -1)));
    }

    /** A sink whose writes fail once the client "disconnects", as a closed socket's would. */
    static final class DisconnectingSink extends OutputStream {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private volatile boolean disconnected;

        void disconnect() {
            disconnected = true;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            check();
            received.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            check();
            received.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            check();
        }

        private void check() throws IOException {
            if (disconnected) {
                throw new IOException("Broken pipe");
            }
        }
    }

    @Override
    public void close() {
        service.close();
        storage.close();
    }
}
