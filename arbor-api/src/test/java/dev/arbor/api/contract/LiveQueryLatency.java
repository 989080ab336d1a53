package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.live.LiveEvent;
import dev.arbor.api.live.LiveQuery;
import dev.arbor.api.live.LiveSpec;
import dev.arbor.api.live.LiveUpdate;
import dev.arbor.core.json.Json;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Measures the time from a write's acknowledgement to its delta at a live query's subscriber: {@code writes} puts,
 * one at a time, each waited for at the subscriber before the next. A measurement, not a test: the benchmark harness
 * and tests call it and report the figures. The write goes through {@code writer}, the query through {@code reader}
 * (the same database, or another client of it).
 */
public final class LiveQueryLatency {
    private LiveQueryLatency() {}

    /** Nanosecond percentiles of the measured delays. */
    public record Figures(int samples, long p50Nanos, long p99Nanos, long maxNanos) {
        @Override
        public String toString() {
            return String.format("%d writes: p50 %.3f ms, p99 %.3f ms, max %.3f ms", samples, p50Nanos / 1e6,
                    p99Nanos / 1e6, maxNanos / 1e6);
        }
    }

    public static Figures measure(Database writer, Database reader, int warmup, int writes) throws InterruptedException {
        LiveSpec spec = new LiveSpec.Find(FindRequest.of(Json.parse("{\"kind\": \"latency\"}")).limit(10));
        long[] delays = new long[writes];
        try (LiveQuery query = reader.liveQueries().orElseThrow().subscribe(spec)) {
            for (int i = -warmup; i < writes; i++) {
                ObjectNode doc = Json.MAPPER.createObjectNode().put("_id", "latency-" + Math.floorMod(i, 5)).put("kind", "latency").put("i", i);
                query.result().rows().stream().filter(row -> row.id().equals(doc.get("_id").asText())).findFirst()
                        .ifPresent(row -> doc.put("_rev", row.version()));
                writer.put(doc);
                long written = System.nanoTime();
                while (true) {
                    Optional<LiveEvent> event = query.next(Duration.ofSeconds(10));
                    if (event.isEmpty() || !(event.get() instanceof LiveUpdate)) {
                        throw new IllegalStateException("no delta within 10 s: " + event);
                    }
                    if (query.result().rows().stream().anyMatch(row -> row.doc().path("i").asInt() == doc.get("i").asInt())) {
                        break;
                    }
                }
                if (i >= 0) {
                    delays[i] = System.nanoTime() - written;
                }
            }
        }
        Arrays.sort(delays);
        return new Figures(writes, delays[writes / 2], delays[(int) Math.min(writes - 1, Math.ceil(writes * 0.99) - 1)],
                delays[writes - 1]);
    }
}
