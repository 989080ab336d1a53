package dev.arbor.bench.system;

import dev.arbor.bench.workload.Latencies;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ceiling for durable commits on this disk: 4 KiB appends to one file, each followed by
 * {@code FileChannel.force(false)} (fdatasync). Reported beside W2's single-doc writes, since a
 * durable single-doc write can be no faster than one of these.
 */
public final class DiskProbe {
    private static final int BLOCK = 4096;

    private DiskProbe() {}

    public static List<Measurement> measure(Path dir, Duration duration) {
        Path file = dir.resolve("fdatasync-probe.bin");
        ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
        byte[] fill = new byte[BLOCK];
        Arrays.fill(fill, (byte) 'x');
        block.put(fill).flip();
        long[] latencies = new long[1 << 20];
        int syncs = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            long now = start;
            while (now < end && syncs < latencies.length) {
                long t0 = now;
                block.rewind();
                while (block.hasRemaining()) {
                    channel.write(block);
                }
                channel.force(false);
                now = System.nanoTime();
                latencies[syncs++] = now - t0;
            }
            double seconds = (now - start) / 1e9;
            Latencies recorded = new Latencies(syncs);
            for (int i = 0; i < syncs; i++) {
                recorded.record(i, latencies[i]);
            }
            List<Measurement> out = new ArrayList<>();
            out.add(new Measurement(Metric.W2_RATE.workload, Metric.W2_RATE, syncs / seconds, null,
                    dev.arbor.bench.workload.Status.OK, syncs + " fdatasyncs of 4 KiB appends in " + String.format("%.2f s", seconds)));
            out.add(Measurement.ok(Metric.W2_P50, recorded.percentileMillis(50), null));
            out.add(Measurement.ok(Metric.W2_P99, recorded.percentileMillis(99), null));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover probe file in a scratch directory the harness deletes anyway
            }
        }
    }
}
