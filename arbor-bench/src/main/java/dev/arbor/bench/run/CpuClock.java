package dev.arbor.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time spent so far by two processes (CouchDB's VM and Arbor's JVM) and by the whole machine, read together
 * with the wall clock, so that the difference of two samples says what bounded what happened between them: a
 * process near 100 % per core it can use is CPU-bound; a machine far below its cores × 100 % is waiting.
 */
final class CpuClock {
    /** Linux's USER_HZ, the unit of /proc/stat: 100 on every architecture Linux reports it for. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuClock() {}

    /**
     * CPU times in nanoseconds; -1 where not readable (no such process, no /proc). The run-queue waits are how long
     * the process's threads were ready to run but waited for a core: CPU contention, as opposed to waiting for I/O,
     * a lock or the other side.
     */
    record Sample(long nanos, long couchCpuNanos, long arborCpuNanos, long machineBusyNanos,
                  Map<String, Long> couchRunQueue, Map<String, Long> arborRunQueue) {

        /** Run-queue wait of CouchDB's threads since {@code before}, summed over threads. */
        double couchRunQueueSecondsSince(Sample before) {
            return waitSince(couchRunQueue, before.couchRunQueue);
        }

        double arborRunQueueSecondsSince(Sample before) {
            return waitSince(arborRunQueue, before.arborRunQueue);
        }

        /** Threads started since count whole; threads gone since are lost (an undercount, never negative). */
        private static double waitSince(Map<String, Long> after, Map<String, Long> before) {
            return after.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum() / 1e9;
        }
    }

    static Sample sample(long couchPid, long arborPid) {
        return new Sample(System.nanoTime(), processCpu(couchPid), processCpu(arborPid), machineBusy(),
                runQueueWait(couchPid), runQueueWait(arborPid));
    }

    /** Each live thread's run-queue wait so far: the second field of /proc/PID/task/TID/schedstat; empty without /proc. */
    static Map<String, Long> runQueueWait(long pid) {
        Map<String, Long> byThread = new HashMap<>();
        try (var threads = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            threads.forEach(t -> {
                try {
                    byThread.put(t.getFileName().toString(),
                            Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split("\\s+")[1]));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between listing and reading
                }
            });
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return byThread;
    }

    private static long processCpu(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(-1L);
    }

    /** All cores' time not idle and not waiting for I/O, from the first line of /proc/stat. */
    static long machineBusy() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest time is already inside user)
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return (total - idle) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
