package dev.arbor.server.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Storage;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.api.pubsub.Topic;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.storage.NotifyingStorage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /_db_updates}: databases created, updated and deleted, as CouchDB's global changes feed reports them.
 * Like CouchDB's {@code _global_changes} database, it keeps the latest event of each database, in the order they
 * happened, each with a sequence; feeds {@code normal}, {@code longpoll} and {@code continuous} read from it.
 * Unlike CouchDB, it is kept in memory: it starts empty each time the server starts. Sequences are opaque strings.
 */
public final class DbUpdates implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DbUpdates.class.getName());
    private static final long DEFAULT_TIMEOUT_MILLIS = 60_000;

    /** One event: the latest of its database. */
    record Event(long seq, String dbName, String type) {
        ObjectNode toJson() {
            return Json.object().put("db_name", dbName).put("type", type).put("seq", Long.toString(seq));
        }
    }

    private final TreeMap<Long, Event> bySeq = new TreeMap<>();
    private final Map<String, Long> latest = new HashMap<>();
    private long seq;
    private volatile boolean closed;
    private Subscriber commits;
    private Thread commitReader;

    /** The storage the endpoints use, reporting creations and deletions to this log. */
    public Storage observe(Storage storage) {
        return new NotifyingStorage(storage, name -> record(name, "created"), name -> record(name, "deleted"));
    }

    /** Follows every database's commits as {@code updated} events, through the storage's pub/sub where it has one. */
    public void followCommits(Storage storage) {
        var pubSub = storage.pubSub();
        if (pubSub.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "_db_updates reports no updates: the storage has no pub/sub");
            return;
        }
        commits = pubSub.get().createSubscriber();
        commits.subscribeTo(Topic.CHANGES);
        commitReader = Thread.ofVirtual().name("arbor-db-updates").start(() -> {
            try {
                while (!closed) {
                    var message = commits.receive();
                    if (message.isEmpty()) {
                        return;
                    }
                    JsonNode event = message.get().payload(JsonNode.class);
                    record(event.path("dbName").asText(), "updated");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    synchronized void record(String dbName, String type) {
        if (dbName.isEmpty()) {
            return;
        }
        Long previous = latest.get(dbName);
        if (previous != null) {
            bySeq.remove(previous);
        }
        seq++;
        bySeq.put(seq, new Event(seq, dbName, type));
        latest.put(dbName, seq);
        notifyAll();
    }

    synchronized long lastSeq() {
        return seq;
    }

    synchronized List<Event> after(long since, boolean descending, long limit) {
        // Descending starts from the newest event, whatever since says, as CouchDB's descending feeds do.
        var events = descending ? bySeq.descendingMap().values() : bySeq.tailMap(since, false).values();
        return events.stream().limit(limit).toList();
    }

    /** Waits until an event past {@code since} or the deadline; false when none came (or the feed must end). */
    synchronized boolean await(long since, long deadlineNanos) throws InterruptedException {
        while (seq <= since && !closed) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return seq > since;
    }

    /** Answers one {@code _db_updates} request. */
    void handle(HttpExchange exchange) throws IOException {
        var query = exchange.query();
        String feed = Optional.ofNullable(query.string("feed")).orElse("normal");
        if (!List.of("normal", "longpoll", "continuous").contains(feed)) {
            throw new ArborException.BadRequest("bad_request", "Supported `feed` types: normal, continuous, longpoll");
        }
        long limit = query.positiveInteger("limit", Long.MAX_VALUE);
        boolean descending = query.bool("descending", false);
        long timeout = query.positiveInteger("timeout", DEFAULT_TIMEOUT_MILLIS);
        long heartbeat = heartbeat(query.string("heartbeat"));
        long since = since(query.string("since"));
        switch (feed) {
            case "normal" -> sendList(exchange, after(since, descending, limit));
            case "longpoll" -> {
                List<Event> events = after(since, false, limit);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
                while (events.isEmpty() && waitOnce(since, deadline)) {
                    events = after(since, false, limit);
                }
                sendList(exchange, events);
            }
            default -> continuous(exchange, since, limit, timeout, heartbeat);
        }
    }

    private long since(String text) {
        if (text == null) {
            return 0;
        }
        if (text.equals("now")) {
            return lastSeq();
        }
        try {
            return Long.parseLong(text.replace("\"", ""));
        } catch (NumberFormatException e) {
            throw new ArborException.BadRequest("bad_request", "Malformed sequence supplied in 'since' parameter.");
        }
    }

    private static long heartbeat(String text) {
        if (text == null || text.equals("false")) {
            return 0;
        }
        if (text.equals("true")) {
            return DEFAULT_TIMEOUT_MILLIS;
        }
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ArborException.BadRequest("bad_request", "heartbeat must be a positive integer or true");
    }

    private boolean waitOnce(long since, long deadline) throws IOException {
        try {
            return await(since, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void sendList(HttpExchange exchange, List<Event> events) {
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        events.forEach(event -> results.add(event.toJson()));
        long last = events.isEmpty() ? lastSeq() : events.get(events.size() - 1).seq();
        body.put("last_seq", Long.toString(last));
        exchange.sendJson(200, body);
    }

    /** One event per line as it happens, a newline as heartbeat, and {@code last_seq} when the timeout ends it. */
    private void continuous(HttpExchange exchange, long since, long limit, long timeout, long heartbeat) throws IOException {
        exchange.jettyRequest().addIdleTimeoutListener(t -> false);
        OutputStream out = exchange.startBody(200, "application/json");
        long cursor = since;
        long sent = 0;
        while (!closed) {
            for (Event event : after(cursor, false, limit - sent)) {
                out.write((Json.MAPPER.writeValueAsString(event.toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
                cursor = event.seq();
                sent++;
            }
            out.flush();
            if (sent >= limit) {
                break;
            }
            long wait = heartbeat > 0 ? heartbeat : timeout;
            if (!waitOnce(cursor, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait))) {
                if (heartbeat == 0 || closed) {
                    break;
                }
                out.write('\n');
                out.flush();
            }
        }
        out.write(("{\"last_seq\":\"" + cursor + "\"}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends live feeds (they write their {@code last_seq}) and stops following commits. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        if (commits != null) {
            commits.close();
        }
        if (commitReader != null) {
            commitReader.interrupt();
        }
    }
}
